package io.openavathar.pod;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Fixed ComfyUI servers you run yourself ("bring your own ComfyUI"). Each URL is one pod, always
 * reported as {@link PodStatus#RUNNING}; whether ComfyUI really answers is probed by the studio
 * before a job uses it. Pod ids are {@code comfy-1}, {@code comfy-2}, ... in the order given; the
 * name is the URL. A job records the URL it was submitted to and resumes there, so the order may
 * change between runs.
 *
 * <pre>{@code
 * PodProvider pods = StaticPodProvider.of(URI.create("http://gpu-box:8188"));
 * }</pre>
 */
public final class StaticPodProvider implements PodProvider {
  private final List<Pod> pods;

  private StaticPodProvider(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one ComfyUI URL is required");
    }
    List<Pod> list = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      URI url = normalize(Objects.requireNonNull(urls.get(i), "url"));
      list.add(
          Pod.builder("comfy-" + (i + 1))
              .name(url.toString())
              .status(PodStatus.RUNNING)
              .comfyUiUrl(url)
              .build());
    }
    this.pods = List.copyOf(list);
  }

  /**
   * One pod per URL, for example {@code http://127.0.0.1:8188} or {@code https://host/prefix}.
   *
   * @param urls the ComfyUI base URLs, at least one
   * @return the provider
   * @throws IllegalArgumentException if no URL is given
   */
  public static StaticPodProvider of(URI... urls) {
    return new StaticPodProvider(List.of(urls));
  }

  /**
   * One pod per URL.
   *
   * @param urls the ComfyUI base URLs, at least one
   * @return the provider
   * @throws IllegalArgumentException if the list is empty
   */
  public static StaticPodProvider of(List<URI> urls) {
    return new StaticPodProvider(List.copyOf(urls));
  }

  private static URI normalize(URI url) {
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException(
          "not an http(s) URL with a host: '" + url + "'; write it like http://127.0.0.1:8188");
    }
    String s = url.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public CompletableFuture<List<Pod>> listPods() {
    return CompletableFuture.completedFuture(pods);
  }

  @Override
  public String toString() {
    return "StaticPodProvider" + pods.stream().map(Pod::name).toList();
  }
}
