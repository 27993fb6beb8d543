package io.openavathar;

import java.util.Objects;

/**
 * A job was refused before anything was started or uploaded because its {@link CostEstimate} is
 * over a limit: the request's {@link Setting#MAX_COST} or the studio's {@link
 * Setting#DAILY_SPEND_CAP}. Carries the estimate and the limit, so that a front end can offer to
 * raise it. Not retryable as is.
 */
public class SpendLimitException extends OpenAvatharException {
  private static final long serialVersionUID = 1L;
  private final transient CostEstimate estimate;

  /** The limit in USD. */
  private final double limitUsd;

  /**
   * A job refused because its estimate is over a spend limit.
   *
   * @param beforeSetting the message's text before the setting's name
   * @param setting the limit's setting, for example {@link Setting#DAILY_SPEND_CAP}
   * @param afterSetting the message's text after the setting's name
   * @param estimate the estimate the job was refused on
   * @param limitUsd the limit in USD
   */
  public SpendLimitException(
      String beforeSetting,
      Setting setting,
      String afterSetting,
      CostEstimate estimate,
      double limitUsd) {
    super(beforeSetting, Objects.requireNonNull(setting, "setting"), afterSetting, null);
    this.estimate = Objects.requireNonNull(estimate, "estimate");
    this.limitUsd = limitUsd;
  }

  /**
   * The estimate the job was refused on.
   *
   * @return the estimate, never null
   */
  public CostEstimate estimate() {
    return estimate;
  }

  /**
   * The limit in USD (for the daily cap: what was left of it today).
   *
   * @return the limit in USD
   */
  public double limitUsd() {
    return limitUsd;
  }
}
