package io.openavathar.comfy;

import static io.openavathar.comfy.TestClients.await;
import static io.openavathar.comfy.TestClients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.openavathar.OpenAvatharException;
import io.openavathar.RemoteUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads over a real socket, with bodies cut mid-transfer. */
class DownloadTest {
  private static final OutputFile VIDEO =
      new OutputFile("InfiniteTalk_00001-audio.mp4", "InfiniteTalk", "output");

  private final MockWebServer server = new MockWebServer();
  private final byte[] content = new byte[200_000];
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  /**
   * Scripted answers, first come first served; when empty, a faithful server with single-range
   * support.
   */
  private final Deque<Function<RecordedRequest, MockResponse>> script = new ArrayDeque<>();

  @TempDir Path dir;
  private ComfyUiClient client;

  @BeforeEach
  void start() throws Exception {
    new Random(42).nextBytes(content);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            Function<RecordedRequest, MockResponse> next;
            synchronized (script) {
              next = script.poll();
            }
            return next != null ? next.apply(request) : serve(request);
          }
        });
    server.start();
    client = TestClients.fast(server.url("/").toString().replaceAll("/$", ""), 3);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void download_writesTargetThroughPartFile_andSendsSeparateEncodedParameters() throws Exception {
    Path target = dir.resolve("out/video.mp4");
    OutputFile odd = new OutputFile("a b&c=d.mp4", "Infinite Talk/x", "temp");

    long bytes = await(client.download(odd, target, TransferListener.NONE));

    assertThat(bytes).isEqualTo(content.length);
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(dir.resolve("out/video.mp4.part")).doesNotExist();
    RecordedRequest r = requests.get(0);
    assertThat(r.getUrl().encodedPath()).isEqualTo(TestClients.PREFIX + "/view");
    assertThat(r.getUrl().queryParameter("filename")).isEqualTo("a b&c=d.mp4");
    assertThat(r.getUrl().queryParameter("subfolder")).isEqualTo("Infinite Talk/x");
    assertThat(r.getUrl().queryParameter("type")).isEqualTo("temp");
    assertThat(r.getUrl().querySize()).isEqualTo(3);
    assertThat(r.getHeaders().get("Range")).isNull();
  }

  @Test
  void download_reportsProgressUpToTheTotal() {
    List<long[]> calls = new CopyOnWriteArrayList<>();

    await(
        client.download(
            VIDEO, dir.resolve("v.mp4"), (done, total) -> calls.add(new long[] {done, total})));

    assertThat(calls.get(calls.size() - 1)).containsExactly(content.length, content.length);
  }

  @Test
  void download_whenBodyBreaks_resumesWithRangeAndAppends() throws Exception {
    script.add(r -> cutHalfway(200));
    List<long[]> calls = new CopyOnWriteArrayList<>();

    long bytes =
        await(
            client.download(
                VIDEO, dir.resolve("v.mp4"), (done, total) -> calls.add(new long[] {done, total})));

    assertThat(bytes).isEqualTo(content.length);
    assertThat(Files.readAllBytes(dir.resolve("v.mp4"))).isEqualTo(content);
    assertThat(requests).hasSize(2);
    String range = requests.get(1).getHeaders().get("Range");
    assertThat(range).matches("bytes=\\d+-");
    long resumedAt = Long.parseLong(range.substring(6, range.length() - 1));
    assertThat(resumedAt).isBetween(1L, content.length - 1L);
    assertThat(calls.get(calls.size() - 1)).containsExactly(content.length, content.length);
  }

  @Test
  void download_whenTheBodyStalls_cutsItAfterTheReadTimeout_andResumes() throws Exception {
    script.add(
        r ->
            new MockResponse.Builder(full(200, content))
                .onResponseBody(SocketEffect.Stall.INSTANCE)
                .build());
    try (ComfyUiClient stallAware =
        ComfyUiClient.builder()
            .baseUrl(java.net.URI.create(server.url("/").toString().replaceAll("/$", "")))
            .initialBackoff(java.time.Duration.ofMillis(1))
            .readTimeout(java.time.Duration.ofMillis(300))
            .build()) {
      long bytes = await(stallAware.download(VIDEO, dir.resolve("v.mp4"), TransferListener.NONE));

      assertThat(bytes).isEqualTo(content.length);
      assertThat(Files.readAllBytes(dir.resolve("v.mp4"))).isEqualTo(content);
      // One resume normally; on a machine so loaded that a healthy read also outlasts the 300 ms
      // timeout there may be more, each resuming from where the file stands.
      assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
      assertThat(requests.subList(1, requests.size()))
          .allSatisfy(r -> assertThat(r.getHeaders().get("Range")).matches("bytes=\\d+-"));
    }
  }

  @Test
  void download_whenServerIgnoresRange_startsOver() throws Exception {
    script.add(r -> cutHalfway(200));
    script.add(r -> full(200, content));

    long bytes = await(client.download(VIDEO, dir.resolve("v.mp4"), TransferListener.NONE));

    assertThat(bytes).isEqualTo(content.length);
    assertThat(Files.readAllBytes(dir.resolve("v.mp4"))).isEqualTo(content);
    assertThat(requests.get(1).getHeaders().get("Range")).isNotNull();
  }

  @Test
  void download_whenResumeAnswers416AndSizesMatch_isComplete() throws Exception {
    // The server promised more bytes than the file has, then closed: we hold the whole file but saw
    // a broken body.
    script.add(
        r ->
            new MockResponse.Builder()
                .body(new Buffer().write(content))
                .setHeader("Content-Length", content.length + 10)
                .onResponseEnd(new SocketEffect.CloseSocket())
                .build());
    script.add(
        r ->
            new MockResponse.Builder()
                .code(416)
                .setHeader("Content-Range", "bytes */" + content.length)
                .build());

    long bytes = await(client.download(VIDEO, dir.resolve("v.mp4"), TransferListener.NONE));

    assertThat(bytes).isEqualTo(content.length);
    assertThat(Files.readAllBytes(dir.resolve("v.mp4"))).isEqualTo(content);
    assertThat(requests.get(1).getHeaders().get("Range"))
        .isEqualTo("bytes=" + content.length + "-");
  }

  @Test
  void download_whenServerResumesAtTheWrongOffset_startsOver() throws Exception {
    script.add(r -> cutHalfway(200));
    script.add(
        r ->
            new MockResponse.Builder()
                .code(206)
                .setHeader(
                    "Content-Range", "bytes 7-" + (content.length - 1) + "/" + content.length)
                .body(new Buffer().write(content, 7, content.length - 7))
                .build());

    long bytes = await(client.download(VIDEO, dir.resolve("v.mp4"), TransferListener.NONE));

    assertThat(bytes).isEqualTo(content.length);
    assertThat(Files.readAllBytes(dir.resolve("v.mp4"))).isEqualTo(content);
    assertThat(requests).hasSize(3);
    assertThat(requests.get(2).getHeaders().get("Range")).isNull();
  }

  @Test
  void download_when404_failsNamingFileAndFolder_withoutRetry() {
    script.add(r -> new MockResponse.Builder().code(404).build());
    Path target = dir.resolve("v.mp4");

    Throwable failure = failureOf(client.download(VIDEO, target, TransferListener.NONE));

    assertThat(failure)
        .isExactlyInstanceOf(OpenAvatharException.class)
        .hasMessage(
            "ComfyUI has no file 'InfiniteTalk_00001-audio.mp4' in output/InfiniteTalk: it was deleted or the"
                + " server was reinstalled.");
    assertThat(((OpenAvatharException) failure).isRetryable()).isFalse();
    assertThat(requests).hasSize(1);
    assertThat(target).doesNotExist();
    assertThat(dir.resolve("v.mp4.part")).doesNotExist();
  }

  @Test
  void download_whenEveryTransferBreaks_givesUpAfterMaxAttempts_andRemovesPartFile() {
    for (int i = 0; i < 5; i++) {
      script.add(r -> cutHalfway(r.getHeaders().get("Range") == null ? 200 : 206));
    }

    Throwable failure =
        failureOf(client.download(VIDEO, dir.resolve("v.mp4"), TransferListener.NONE));

    assertThat(failure)
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("broke while reading");
    assertThat(requests).hasSize(3);
    assertThat(dir.resolve("v.mp4")).doesNotExist();
    assertThat(dir.resolve("v.mp4.part")).doesNotExist();
  }

  /** A response for the requested range (or all) that the server cuts in the middle of the body. */
  private MockResponse cutHalfway(int code) {
    return new MockResponse.Builder(full(code, content))
        .onResponseBody(new SocketEffect.CloseSocket())
        .build();
  }

  /** A single-range server like aiohttp's FileResponse. */
  private MockResponse serve(RecordedRequest request) {
    String range = request.getHeaders().get("Range");
    if (range == null) {
      return full(200, content);
    }
    int start = Integer.parseInt(range.substring(6, range.indexOf('-')));
    if (start >= content.length) {
      return new MockResponse.Builder()
          .code(416)
          .setHeader("Content-Range", "bytes */" + content.length)
          .build();
    }
    return new MockResponse.Builder()
        .code(206)
        .setHeader(
            "Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length)
        .body(new Buffer().write(content, start, content.length - start))
        .build();
  }

  private static MockResponse full(int code, byte[] body) {
    MockResponse.Builder b = new MockResponse.Builder().code(code).body(new Buffer().write(body));
    if (code == 206) {
      b.setHeader("Content-Range", "bytes 0-" + (body.length - 1) + "/" + body.length);
    }
    return b.build();
  }
}
