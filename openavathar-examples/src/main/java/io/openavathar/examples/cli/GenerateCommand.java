package io.openavathar.examples.cli;

import io.openavathar.AvatarStudio;
import io.openavathar.GenerationRequest;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code openavathar generate}: one video from a portrait and a speech recording on your ComfyUI server(s). */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a talking-avatar MP4 on a ComfyUI server with the InfiniteTalk nodes.")
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--comfy-url", required = true, paramLabel = "URL",
      description = "ComfyUI base URL, e.g. http://127.0.0.1:8188 (repeat for several servers).")
  List<String> comfyUrls = new ArrayList<>();

  @Option(names = "--image", required = true, paramLabel = "FILE", description = "Portrait: PNG, JPEG or WebP.")
  Path image;

  @Option(names = "--audio", required = true, paramLabel = "FILE",
      description = "Speech: WAV, MP3, FLAC, OGG or M4A.")
  Path audio;

  @Mixin GenerationOptions options = new GenerationOptions();

  @Option(names = "--verbose", description = "Show debug logs and stack traces.")
  boolean verbose;

  @Override
  public Integer call() {
    List<URI> urls = new ArrayList<>();
    for (String u : comfyUrls) {
      urls.add(parseUrl(u));
    }
    GenerationRequest request = options.apply(GenerationRequest.builder().image(image).audio(audio)).build();
    try (AvatarStudio studio = AvatarStudio.builder()
        .comfyUrls(urls)
        .outputDirectory(Path.of("").toAbsolutePath())
        .build()) {
      JobRunner.run(studio, request, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return 0;
  }

  static URI parseUrl(String u) {
    try {
      URI uri = new URI(u.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("--comfy-url '" + u + "' is not a URL; write it like http://127.0.0.1:8188");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--comfy-url '" + u + "' is not a URL; write it like http://127.0.0.1:8188");
    }
  }
}
