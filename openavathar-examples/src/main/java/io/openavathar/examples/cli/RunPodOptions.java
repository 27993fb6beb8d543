package io.openavathar.examples.cli;

import io.openavathar.runpod.RunPodPodProvider;
import java.net.URI;
import picocli.CommandLine.Option;

/** RunPod connection options shared by every command that talks to RunPod. */
final class RunPodOptions {
  @Option(
      names = "--runpod-api-key",
      paramLabel = "KEY",
      description =
          "RunPod API key (default: `openavathar config set runpod-api-key`, else the RUNPOD_API_KEY"
              + " environment variable; prefer those: flags show up in ps).")
  String apiKey;

  @Option(
      names = "--runpod-api-url",
      paramLabel = "URL",
      description = "RunPod REST v2 base URL (default https://api.runpod.io/v2).")
  URI apiUrl;

  @Option(
      names = "--runpod-proxy-pattern",
      paramLabel = "PATTERN",
      description = "Pod HTTP proxy URL pattern (default https://{podId}-{port}.proxy.runpod.net).")
  String proxyPattern;

  RunPodPodProvider provider() {
    String key = apiKey != null ? apiKey : System.getenv("RUNPOD_API_KEY");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "No RunPod API key: set RUNPOD_API_KEY, run `openavathar config set runpod-api-key KEY`, or pass"
              + " --runpod-api-key (or use --comfy-url for your own ComfyUI)");
    }
    RunPodPodProvider.Builder b = RunPodPodProvider.builder().apiKey(key);
    if (apiUrl != null) {
      b.apiUrl(apiUrl);
    }
    if (proxyPattern != null) {
      b.proxyUrlPattern(proxyPattern);
    }
    return b.build();
  }
}
