package io.openavathar.internal.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.GenerationRequest;
import io.openavathar.OpenAvatharException;
import io.openavathar.Orientation;
import io.openavathar.testkit.internal.Fuzz;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Whatever a stored job request holds (the store is a file on disk: older or newer versions, edits,
 * corruption), reading it gives a request or an {@link OpenAvatharException}, which resuming turns
 * into a FAILED job. Anything else would stop the resume of every job after it.
 */
class RequestJsonPropertyTest {
  private static final JsonNode STORED =
      Fuzz.json(
          RequestJson.write(
              GenerationRequest.builder()
                  .image(Path.of("/tmp/portrait.png"))
                  .audio(Path.of("/tmp/speech.wav"))
                  .prompt("a woman is talking")
                  .negativePrompt("blur")
                  .orientation(Orientation.PORTRAIT)
                  .maxFrames(250)
                  .audioCfgScale(4.0)
                  .seed(42)
                  .targetPod("abc123")
                  .outputFile(Path.of("/tmp/out.mp4"))
                  .build(),
              RequestJsonTest.standIn()));

  @Test
  void anyStoredRequestIsReadOrRejectedWithAnSdkException() {
    Fuzz.forAll(
        1000,
        random -> Fuzz.jsonText(random, STORED),
        json ->
            Fuzz.returnsOrThrows(ignored -> RequestJson.read(json), OpenAvatharException.class));
  }

  /**
   * Found by the property above: an unknown orientation and a NUL in a path threw
   * IllegalArgumentException.
   */
  @Test
  void unreadableFieldsAreAnSdkException() {
    for (String field :
        new String[] {
          "\"orientation\":\"DIAGONAL\"", "\"image\":\"a\\u0000b\"", "\"maxFrames\":0"
        }) {
      String stored = Fuzz.write(STORED);
      String json =
          stored.substring(0, stored.length() - 1)
              + ","
              + field
              + "}"; // the last of a repeated name wins
      assertThatThrownBy(() -> RequestJson.read(json))
          .as(field)
          .isInstanceOf(OpenAvatharException.class)
          .hasMessageStartingWith("A stored job request cannot be read");
    }
  }
}
