package io.openavathar;

import io.openavathar.pod.GpuOffer;
import io.openavathar.pod.GpuSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A deploy found no GPU: either nothing qualified under the pod spec's limits ({@link #tried()} is
 * empty and {@link #excluded()} says why each GPU type was left out), or every candidate was tried
 * and refused (each with its reason). {@link #limits()} lists the settings whose relaxing would
 * bring more GPUs into play, so that a front end can name them its own way ({@link
 * #getMessage(Function)}): a CLI says {@code --max-price}, a UI its form field. {@link #canRetry()}
 * is true when candidates were refused or the catalog reported no stock (both change), false when
 * the spec's limits left nothing to try.
 */
public class NoGpuAvailableException extends PodProvisioningException {
  private static final long serialVersionUID = 1L;

  /** A candidate that was tried, and why it did not give a pod. */
  public record Attempt(GpuOffer offer, String reason) {
    /**
     * Checks that no value is null.
     *
     * @param offer the GPU offer that was tried
     * @param reason why it did not give a pod, in words
     */
    public Attempt {
      Objects.requireNonNull(offer, "offer");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return offer + " (" + reason + ")";
    }
  }

  private final transient List<Attempt> tried;
  private final transient List<GpuSelection.Exclusion> excluded;

  /** The settings to relax, most helpful first. */
  private final List<Setting> limits;

  /** A sentence appended to the message, or empty. */
  private final String advice;

  /**
   * @param tried the candidates tried, in order, each with why it failed
   * @param excluded the GPU types left out before trying
   * @param limits the settings to relax, most helpful first
   * @param advice a sentence appended to the message, or empty
   */
  public NoGpuAvailableException(
      List<Attempt> tried,
      List<GpuSelection.Exclusion> excluded,
      List<Setting> limits,
      String advice) {
    super(
        render(tried, excluded, limits, advice, Setting::toString),
        !tried.isEmpty()
            || excluded.stream().anyMatch(e -> e.reason() == GpuSelection.Reason.NO_STOCK),
        true);
    this.tried = List.copyOf(tried);
    this.excluded = List.copyOf(excluded);
    this.limits = List.copyOf(limits);
    this.advice = Objects.requireNonNull(advice, "advice");
  }

  /**
   * The candidates tried, in order, each with why it did not give a pod; empty when nothing
   * qualified.
   *
   * @return the attempts, immutable
   */
  public List<Attempt> tried() {
    return tried == null ? List.of() : tried;
  }

  /**
   * The GPU types (per cloud) left out before trying, and why.
   *
   * @return the exclusions, immutable
   */
  public List<GpuSelection.Exclusion> excluded() {
    return excluded == null ? List.of() : excluded;
  }

  /**
   * The settings to relax (or widen) so that more GPUs are tried, most helpful first.
   *
   * @return the settings, immutable
   */
  public List<Setting> limits() {
    return limits;
  }

  /** The first of {@link #limits()}. */
  @Override
  public Optional<Setting> setting() {
    return limits.stream().findFirst();
  }

  @Override
  public String getMessage(Function<? super Setting, String> names) {
    return render(tried(), excluded(), limits, advice, names);
  }

  private static String render(
      List<Attempt> tried,
      List<GpuSelection.Exclusion> excluded,
      List<Setting> limits,
      String advice,
      Function<? super Setting, String> names) {
    StringBuilder m = new StringBuilder();
    if (tried.isEmpty()) {
      m.append("No GPU qualifies for the pod");
      if (!excluded.isEmpty()) {
        m.append(": left out ")
            .append(String.join(", ", excluded.stream().map(Object::toString).toList()));
      }
      m.append('.');
    } else {
      m.append("No GPU could be had; tried ")
          .append(String.join(", ", tried.stream().map(Attempt::toString).toList()))
          .append('.');
    }
    if (!limits.isEmpty()) {
      List<String> flags = new ArrayList<>();
      limits.forEach(s -> flags.add(names.apply(s)));
      m.append(tried.isEmpty() ? " Relax " : " Retry later, or allow more GPUs with ")
          .append(orList(flags))
          .append('.');
    } else if (!tried.isEmpty()) {
      m.append(" Retry later.");
    }
    if (!advice.isEmpty()) {
      m.append(' ').append(advice);
    }
    return m.toString();
  }

  private static String orList(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }
}
