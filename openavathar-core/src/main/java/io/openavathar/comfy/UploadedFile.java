package io.openavathar.comfy;

import java.util.Objects;

/**
 * A file the server stored in response to {@code POST /upload/image}. Always use {@link
 * #nodeValue()} in the workflow: the server renames on collision ({@code photo (1).png}).
 *
 * @param name the stored name the server returned
 * @param subfolder the subfolder, empty for none
 * @param type {@code input}, {@code temp} or {@code output}
 */
public record UploadedFile(String name, String subfolder, String type) {
  /**
   * Checks that no value is null.
   *
   * @param name the stored name
   * @param subfolder the subfolder, empty for none
   * @param type {@code input}, {@code temp} or {@code output}
   */
  public UploadedFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subfolder, "subfolder");
    Objects.requireNonNull(type, "type");
  }

  /**
   * The value a {@code LoadImage.image} or {@code LoadAudio.audio} input takes: {@code
   * subfolder/name} or name.
   *
   * @return the value for the workflow
   */
  public String nodeValue() {
    return subfolder.isEmpty() ? name : subfolder + "/" + name;
  }
}
