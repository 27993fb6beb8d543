package io.openavathar.testkit.comfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UploadRouteTest {

  private ComfyUiSimulator simulator;
  private TestClient client;

  @BeforeEach
  void start() {
    simulator = ComfyUiSimulator.builder().maxUploadSize(256 * 1024).start();
    client = new TestClient(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void upload_whenNew_storesUnderTheSentName() throws Exception {
    JsonNode answer = client.upload("voice.mp3", TestWorkflows.image(1)).json();

    assertThat(answer.get("name").asText()).isEqualTo("voice.mp3");
    assertThat(answer.get("subfolder").asText()).isEmpty();
    assertThat(answer.get("type").asText()).isEqualTo("input");
    assertThat(Files.readAllBytes(simulator.inputDirectory().resolve("voice.mp3")))
        .isEqualTo(TestWorkflows.image(1));
    assertThat(simulator.uploadCount()).isEqualTo(1);
  }

  @Test
  void upload_whenSameNameAndSameContent_returnsTheExistingName() {
    client.upload("a.png", TestWorkflows.image(1));
    long modified = simulator.inputDirectory().resolve("a.png").toFile().lastModified();

    JsonNode answer = client.upload("a.png", TestWorkflows.image(1)).json();

    assertThat(answer.get("name").asText()).isEqualTo("a.png");
    assertThat(simulator.inputDirectory().resolve("a (1).png")).doesNotExist();
    assertThat(simulator.inputDirectory().resolve("a.png").toFile().lastModified())
        .isEqualTo(modified);
  }

  @Test
  void upload_whenSameNameAndOtherContent_renamesWithACounter() {
    client.upload("sample.mp3", TestWorkflows.image(1));

    String second = client.upload("sample.mp3", TestWorkflows.image(2)).json().get("name").asText();
    String third = client.upload("sample.mp3", TestWorkflows.image(3)).json().get("name").asText();
    String secondAgain =
        client.upload("sample.mp3", TestWorkflows.image(2)).json().get("name").asText();

    assertThat(second).isEqualTo("sample (1).mp3");
    assertThat(third).isEqualTo("sample (2).mp3");
    assertThat(secondAgain).isEqualTo("sample (1).mp3");
  }

  @Test
  void upload_whenPartsAreStreamedToDisk_deduplicatesAndRenamesByContent() throws Exception {
    byte[] first = TestWorkflows.video(150_000, 1);
    byte[] second = TestWorkflows.video(150_000, 2);
    client.upload("clip.mp4", first);

    String same = client.upload("clip.mp4", first).json().get("name").asText();
    String other = client.upload("clip.mp4", second).json().get("name").asText();

    assertThat(same).isEqualTo("clip.mp4");
    assertThat(other).isEqualTo("clip (1).mp4");
    assertThat(Files.readAllBytes(simulator.inputDirectory().resolve("clip.mp4"))).isEqualTo(first);
    assertThat(Files.readAllBytes(simulator.inputDirectory().resolve("clip (1).mp4")))
        .isEqualTo(second);
  }

  @Test
  void upload_withOverwrite_replacesTheFile() throws Exception {
    client.upload("a.png", TestWorkflows.image(1));

    JsonNode answer = client.upload("a.png", TestWorkflows.image(2), "overwrite", "true").json();

    assertThat(answer.get("name").asText()).isEqualTo("a.png");
    assertThat(Files.readAllBytes(simulator.inputDirectory().resolve("a.png")))
        .isEqualTo(TestWorkflows.image(2));
  }

  @Test
  void upload_withSubfolderAndType_storesThere() {
    JsonNode answer =
        client
            .upload("a.png", TestWorkflows.image(1), "subfolder", "jobs/7", "type", "output")
            .json();

    assertThat(answer.get("subfolder").asText()).isEqualTo("jobs/7");
    assertThat(answer.get("type").asText()).isEqualTo("output");
    assertThat(simulator.outputDirectory().resolve("jobs/7/a.png")).exists();
  }

  @Test
  void upload_whenSubfolderEscapes_returns400() {
    assertThat(client.upload("a.png", TestWorkflows.image(1), "subfolder", "../x").status())
        .isEqualTo(400);
  }

  @Test
  void upload_withoutImagePart_returns400WithEmptyBody() {
    MultipartBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("type", "input")
            .build();

    TestClient.Result result =
        client.call(
            new Request.Builder().url(simulator.baseUrl() + "/upload/image").post(body).build());

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.body()).isEmpty();
    assertThat(simulator.uploadCount()).isZero();
  }

  @Test
  void upload_overTheSizeLimit_returns413() {
    byte[] large = new byte[400 * 1024];
    MultipartBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart(
                "image", "big.mp3", RequestBody.create(large, MediaType.get("audio/mpeg")))
            .build();

    TestClient.Result result =
        client.call(
            new Request.Builder()
                .url(simulator.baseUrl() + "/api/upload/image")
                .post(body)
                .build());

    assertThat(result.status()).isEqualTo(413);
    assertThat(simulator.inputDirectory().resolve("big.mp3")).doesNotExist();
  }

  @Test
  void upload_overTheSizeLimitWhenChunked_returns413() {
    MultipartBody multipart =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart(
                "image",
                "big.mp3",
                RequestBody.create(new byte[400 * 1024], MediaType.get("audio/mpeg")))
            .build();
    RequestBody chunked =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return multipart.contentType();
          }

          @Override
          public long contentLength() {
            return -1;
          }

          @Override
          public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
            multipart.writeTo(sink);
          }
        };

    TestClient.Result result =
        client.call(
            new Request.Builder().url(simulator.baseUrl() + "/upload/image").post(chunked).build());

    assertThat(result.status()).isEqualTo(413);
  }

  @Test
  void upload_isRecordedWithItsBodySize() throws Exception {
    client.upload("a.png", TestWorkflows.image(1));

    RecordedRequest request = simulator.takeRequest(TestClient.TIMEOUT);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.route()).isEqualTo("/upload/image");
    assertThat(request.bodySize()).isGreaterThan(2048);
    assertThat(request.header("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("multipart/"));
  }
}
