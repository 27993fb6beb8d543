package io.openavathar.comfy;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.openavathar.comfy.TestClients.PREFIX;
import static io.openavathar.comfy.TestClients.await;
import static io.openavathar.comfy.TestClients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.openavathar.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ComfyUiClientUploadTest {
  private static final String ROUTE = PREFIX + "/upload/image";

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;
  private ComfyUiClient client;

  @BeforeEach
  void start() {
    client = TestClients.fast(wm.baseUrl(), 3);
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void upload_whenServerRenames_returnsServerName() throws IOException {
    byte[] png = bytes(5000);
    Path file = Files.write(dir.resolve("face.png"), png);
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .willReturn(
                okJson("{\"name\": \"face (1).png\", \"subfolder\": \"\", \"type\": \"input\"}")));

    UploadedFile uploaded = await(client.upload(file, TransferListener.NONE));

    assertThat(uploaded).isEqualTo(new UploadedFile("face (1).png", "", "input"));
    assertThat(uploaded.nodeValue()).isEqualTo("face (1).png");
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(ROUTE))
            .withHeader("Content-Type", containing("multipart/form-data"))
            .withHeader("Origin", com.github.tomakehurst.wiremock.client.WireMock.absent())
            .withRequestBodyPart(
                aMultipart()
                    .withName("image")
                    .withHeader("Content-Disposition", containing("filename=\"face.png\""))
                    .withHeader("Content-Type", equalTo("image/png"))
                    .withBody(binaryEqualTo(png))
                    .build())
            .withRequestBodyPart(aMultipart().withName("type").withBody(equalTo("input")).build())
            .withRequestBody(notContaining("name=\"overwrite\"")));
  }

  @Test
  void upload_ofAudio_sendsAudioContentType() throws IOException {
    Path file = Files.write(dir.resolve("voice.wav"), bytes(100));
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(okJson("{\"name\": \"voice.wav\"}")));

    UploadedFile uploaded = await(client.upload(file, TransferListener.NONE));

    assertThat(uploaded).isEqualTo(new UploadedFile("voice.wav", "", "input"));
    wm.verify(
        postRequestedFor(urlPathEqualTo(ROUTE))
            .withRequestBodyPart(
                aMultipart()
                    .withName("image")
                    .withHeader("Content-Type", equalTo("audio/wav"))
                    .build()));
  }

  @Test
  void upload_reportsProgressUpToFileSize() throws IOException {
    int size = 300_000;
    Path file = Files.write(dir.resolve("voice.mp3"), bytes(size));
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(okJson("{\"name\": \"voice.mp3\"}")));
    List<long[]> calls = new CopyOnWriteArrayList<>();

    await(client.upload(file, (done, total) -> calls.add(new long[] {done, total})));

    assertThat(calls.size()).isGreaterThan(2);
    assertThat(calls).allSatisfy(c -> assertThat(c[1]).isEqualTo(size));
    assertThat(calls.get(calls.size() - 1)[0]).isEqualTo(size);
    for (int i = 1; i < calls.size(); i++) {
      assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
    }
  }

  @Test
  void upload_whenListenerThrows_stillUploads() throws IOException {
    Path file = Files.write(dir.resolve("face.png"), bytes(10));
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(okJson("{\"name\": \"face.png\"}")));

    UploadedFile uploaded =
        await(
            client.upload(
                file,
                (done, total) -> {
                  throw new IllegalStateException("listener bug");
                }));

    assertThat(uploaded.name()).isEqualTo("face.png");
  }

  @Test
  void upload_whenTooLarge_throwsInvalidInputNamingFileAndSize_withoutRetry() throws IOException {
    Path file = Files.write(dir.resolve("x.wav"), bytes(1234));
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(aResponse().withStatus(413)));

    Throwable failure = failureOf(client.upload(file, TransferListener.NONE));

    assertThat(failure)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "ComfyUI refused 'x.wav' (1234 bytes) as too large: the server's --max-upload-size is smaller."
                + " Use a smaller file or raise the limit on the server.");
    wm.verify(1, postRequestedFor(urlPathEqualTo(ROUTE)));
  }

  @Test
  void upload_when503Once_retriesAndSucceeds() throws IOException {
    Path file = Files.write(dir.resolve("face.png"), bytes(10));
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    wm.stubFor(
        post(urlPathEqualTo(ROUTE))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okJson("{\"name\": \"face.png\"}")));

    UploadedFile uploaded = await(client.upload(file, TransferListener.NONE));

    assertThat(uploaded.name()).isEqualTo("face.png");
    wm.verify(2, postRequestedFor(urlPathEqualTo(ROUTE)));
  }

  @Test
  void upload_whenFileMissing_failsWithInvalidInput_andSendsNothing() {
    Throwable failure = failureOf(client.upload(dir.resolve("nope.png"), TransferListener.NONE));

    assertThat(failure).isInstanceOf(InvalidInputException.class).hasMessageContaining("nope.png");
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void upload_whenFileVanishesWhileSending_failsWithInvalidInput_withoutRetry() throws IOException {
    Path file = Files.write(dir.resolve("face.png"), bytes(10));
    wm.stubFor(post(urlPathEqualTo(ROUTE)).willReturn(okJson("{\"name\": \"face.png\"}")));

    Throwable failure =
        failureOf(
            client.upload(
                file,
                (done, total) -> {
                  try {
                    Files.deleteIfExists(
                        file); // called with 0 bytes done, before the file is opened
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }));

    assertThat(failure)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Could not read");
    assertThat(failure.getMessage()).contains("face.png");
  }

  @Test
  void contentTypes_followTheExtension() {
    assertThat(ContentTypes.forFileName("a.JPG")).hasToString("image/jpeg");
    assertThat(ContentTypes.forFileName("a.webp")).hasToString("image/webp");
    assertThat(ContentTypes.forFileName("a.mp3")).hasToString("audio/mpeg");
    assertThat(ContentTypes.forFileName("a.flac")).hasToString("audio/flac");
    assertThat(ContentTypes.forFileName("a.ogg")).hasToString("audio/ogg");
    assertThat(ContentTypes.forFileName("a.m4a")).hasToString("audio/mp4");
    assertThat(ContentTypes.forFileName("README")).hasToString("application/octet-stream");
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
