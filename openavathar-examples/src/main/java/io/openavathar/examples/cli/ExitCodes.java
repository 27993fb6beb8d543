package io.openavathar.examples.cli;

import io.openavathar.InvalidInputException;
import io.openavathar.JobCancelledException;
import io.openavathar.LicenseRejectedException;
import io.openavathar.OpenAvatharException;
import io.openavathar.PodProvisioningException;
import io.openavathar.QuotaExceededException;
import io.openavathar.RemoteUnavailableException;
import io.openavathar.Setting;
import io.openavathar.SpendLimitException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * The CLI's exit codes, and the one place that maps a failure to its code and its one-line message.
 * README.md and {@code openavathar --help} list the same table.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int QUOTA = 3;
  static final int LICENSE_REJECTED = 4;
  static final int NO_POD = 5;
  static final int UNREACHABLE = 6;
  static final int CANCELLED = 130;

  private ExitCodes() {}

  /** The table for {@code --help} (README.md has the same), code to meaning. */
  static Map<String, String> help() {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("0", "done");
    table.put("1", "any other failure");
    table.put("2", "usage error or invalid input");
    table.put(
        "3", "a limit was reached: the free plan's daily video, --max-cost or the daily spend cap");
    table.put("4", "the license server rejected the license key");
    table.put("5", "no GPU capacity, or a pod could not be provisioned");
    table.put("6", "a remote service (ComfyUI, RunPod, the license server) could not be reached");
    table.put("130", "cancelled (Ctrl+C)");
    return table;
  }

  /** The exit code for a command that failed with {@code failure}. */
  static int of(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof CommandLine.ParameterException
        || e instanceof InvalidInputException
        || e instanceof IllegalArgumentException) {
      return USAGE;
    } else if (e instanceof QuotaExceededException || e instanceof SpendLimitException) {
      return QUOTA;
    } else if (e instanceof LicenseRejectedException) {
      return LICENSE_REJECTED;
    } else if (e instanceof PodProvisioningException) {
      return NO_POD;
    } else if (e instanceof RemoteUnavailableException) {
      return UNREACHABLE;
    } else if (e instanceof JobCancelledException) {
      return CANCELLED;
    }
    return FAILURE;
  }

  /** {@code failure}'s message on one line, naming CLI flags for the settings the SDK points at. */
  static String message(Throwable failure) {
    Throwable e = unwrap(failure);
    String m =
        e instanceof OpenAvatharException oe ? oe.getMessage(ExitCodes::flag) : e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    return m.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The CLI flag for an SDK setting. */
  static String flag(Setting setting) {
    return switch (setting) {
      case IMAGE -> "--image";
      case AUDIO -> "--audio";
      case OUTPUT_FILE -> "--out";
      case MAX_FRAMES -> "--max-frames";
      case RUNPOD_API_KEY -> "RUNPOD_API_KEY (or --runpod-api-key)";
      case RUNPOD_API_URL -> "--runpod-api-url";
      case COMFY_URL -> "--comfy-url";
      case LICENSE_URL -> "--license-url (or OPENAVATHAR_LICENSE_URL)";
      case WORKFLOW -> "--workflow";
      case WORKFLOW_BINDING -> "--bind";
      case OUTPUT_NODE -> "--output-node";
      case MAX_COST -> "--max-cost";
      case DAILY_SPEND_CAP -> "--daily-cap (or `openavathar config set daily-cap USD`)";
      case MIN_GPU_MEMORY -> "--min-vram";
      case MAX_PRICE -> "--max-price";
      case CLOUD -> "--cloud";
      case GPU -> "--gpu";
      case STORE_URL -> "--store-url (or OPENAVATHAR_STORE_URL)";
    };
  }

  /** The failure a future or executor wrapped. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
