package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ViewRouteTest {

  private static final byte[] VIDEO = TestWorkflows.video(300_000, 7);

  private ComfyUiSimulator simulator;
  private TestClient client;

  @BeforeEach
  void start() throws IOException {
    simulator = TestWorkflows.builder().start();
    client = new TestClient(simulator);
    Files.createDirectories(simulator.outputDirectory().resolve("InfiniteTalk"));
    Files.write(simulator.outputDirectory().resolve("InfiniteTalk/clip_00001-audio.mp4"), VIDEO);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private byte[] download(String query, String range) throws IOException {
    Request.Builder request = new Request.Builder().url(simulator.baseUrl() + "/view?" + query);
    if (range != null) {
      request.header("Range", range);
    }
    try (Response response = client.http.newCall(request.build()).execute()) {
      return response.body().bytes();
    }
  }

  @Test
  void view_ofAnOutput_streamsTheFileWithTypeAndDisposition() throws IOException {
    TestClient.Result result =
        client.get("/view?filename=clip_00001-audio.mp4&subfolder=InfiniteTalk&type=output");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.header("Content-Type")).isEqualTo("video/mp4");
    assertThat(result.header("Content-Disposition")).isEqualTo("filename=\"clip_00001-audio.mp4\"");
    assertThat(result.header("Content-Length")).isEqualTo(String.valueOf(VIDEO.length));
    assertThat(download("filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", null))
        .isEqualTo(VIDEO);
  }

  @Test
  void view_withHead_answersHeadersOnly() {
    TestClient.Result result =
        client.call(
            new Request.Builder()
                .url(
                    simulator.baseUrl()
                        + "/view?filename=clip_00001-audio.mp4&subfolder=InfiniteTalk")
                .head()
                .build());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.header("Content-Length")).isEqualTo(String.valueOf(VIDEO.length));
    assertThat(result.body()).isEmpty();
  }

  @Test
  void view_withClosedRange_returns206AndThatSlice() throws IOException {
    TestClient.Result result =
        client.get("/view?filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", "bytes=100-199");

    assertThat(result.status()).isEqualTo(206);
    assertThat(result.header("Content-Range")).isEqualTo("bytes 100-199/" + VIDEO.length);
    assertThat(download("filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", "bytes=100-199"))
        .isEqualTo(Arrays.copyOfRange(VIDEO, 100, 200));
  }

  @Test
  void view_withOpenRange_returnsTheRest() throws IOException {
    byte[] rest = download("filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", "bytes=250000-");

    assertThat(rest).isEqualTo(Arrays.copyOfRange(VIDEO, 250_000, VIDEO.length));
    assertThat(
            client
                .get("/view?filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", "bytes=250000-")
                .header("Content-Range"))
        .isEqualTo("bytes 250000-299999/300000");
  }

  @Test
  void view_withRangeBeyondTheEnd_returns416() {
    TestClient.Result result =
        client.get("/view?filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", "bytes=300000-");

    assertThat(result.status()).isEqualTo(416);
    assertThat(result.header("Content-Range")).isEqualTo("bytes */300000");
  }

  @Test
  void view_ofAMissingFile_returns404() {
    assertThat(client.get("/view?filename=nothing.mp4&type=output").status()).isEqualTo(404);
    assertThat(client.get("/view?filename=InfiniteTalk/clip_00001-audio.mp4").status())
        .isEqualTo(404);
  }

  @Test
  void view_withTraversalOrBadType_returns400() {
    assertThat(client.get("/view?filename=../secret.txt").status()).isEqualTo(400);
    assertThat(client.get("/view?filename=/etc/passwd").status()).isEqualTo(400);
    assertThat(client.get("/view?filename=clip_00001-audio.mp4&type=models").status())
        .isEqualTo(400);
    assertThat(client.get("/view?filename=x.mp4&subfolder=../../").status()).isEqualTo(403);
  }

  @Test
  void view_withAnnotatedName_picksTheDirectory() throws IOException {
    Files.write(simulator.inputDirectory().resolve("face.png"), TestWorkflows.image(3));

    assertThat(client.get("/view?filename=face.png%20%5Binput%5D").status()).isEqualTo(200);
  }

  @Test
  void breakNextDownloadAfter_cutsTheBodyOnceThenServesItWhole() throws IOException {
    simulator.breakNextDownloadAfter(1000);

    assertThatThrownBy(() -> download("filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", null))
        .isInstanceOf(IOException.class);
    assertThat(download("filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", null))
        .isEqualTo(VIDEO);
  }

  @Test
  void breakNextDownloadAfter_thenRangeResume_completesTheFile() throws IOException {
    simulator.breakNextDownloadAfter(120_000);
    Request request =
        new Request.Builder()
            .url(simulator.baseUrl() + "/view?filename=clip_00001-audio.mp4&subfolder=InfiniteTalk")
            .build();
    byte[] received = new byte[VIDEO.length];
    int got = 0;
    try (Response response = client.http.newCall(request).execute()) {
      var in = response.body().byteStream();
      for (int n; (n = in.read(received, got, received.length - got)) > 0; ) {
        got += n;
      }
    } catch (IOException expected) {
      // the connection was cut; keep what arrived
    }

    byte[] rest =
        download("filename=clip_00001-audio.mp4&subfolder=InfiniteTalk", "bytes=" + got + "-");

    assertThat(got).isEqualTo(120_000);
    System.arraycopy(rest, 0, received, got, rest.length);
    assertThat(received).isEqualTo(VIDEO);
  }
}
