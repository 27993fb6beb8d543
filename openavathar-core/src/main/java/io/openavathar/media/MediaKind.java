package io.openavathar.media;

import io.openavathar.InvalidInputException;
import io.openavathar.Setting;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Image or audio: the words and advice that go into {@link InvalidInputException} messages, so that
 * every rejection of either kind reads the same way: what file, what is wrong, what to do.
 */
enum MediaKind {
  IMAGE(
      Setting.IMAGE,
      "Image",
      "a PNG, JPEG or WebP image",
      "portrait",
      "PNG, JPEG or WebP",
      "maxImageBytes"),
  AUDIO(
      Setting.AUDIO,
      "Audio",
      "a WAV, MP3, FLAC, OGG or M4A audio file",
      "speech",
      "WAV, MP3, FLAC, OGG or M4A",
      "maxAudioBytes");

  /** The request setting these files are given as ({@link InvalidInputException#setting()}). */
  private final Setting parameter;

  private final String noun;
  private final String accepted;
  private final String role;
  private final String formats;
  private final String limitSetter;

  MediaKind(
      Setting parameter,
      String noun,
      String accepted,
      String role,
      String formats,
      String limitSetter) {
    this.parameter = parameter;
    this.noun = noun;
    this.accepted = accepted;
    this.role = role;
    this.formats = formats;
    this.limitSetter = limitSetter;
  }

  private InvalidInputException invalid(String message) {
    return invalid(message, null);
  }

  private InvalidInputException invalid(String message, Throwable cause) {
    return new InvalidInputException(parameter, message, cause);
  }

  InvalidInputException missing(Path file) {
    return invalid(
        String.format(
            "%s '%s' does not exist (looked for %s). Check the path.",
            noun, name(file), file.toAbsolutePath()));
  }

  InvalidInputException directory(Path file) {
    return invalid(
        String.format(
            "%s '%s' is a directory, not a file (%s). Pass the %s file itself.",
            noun, name(file), file.toAbsolutePath(), noun.toLowerCase(Locale.ROOT)));
  }

  /**
   * A device, a pipe or a socket: its size says nothing and reading it may never end (or never
   * start).
   */
  InvalidInputException notRegularFile(Path file) {
    return invalid(
        String.format(
            "%s '%s' is not a regular file (%s is a device, a pipe or a socket). Save the %s to a file and pass that.",
            noun, name(file), file.toAbsolutePath(), role));
  }

  /**
   * The file's name cannot be turned into text and back: bytes in it are not valid in the JVM's
   * file name encoding ({@code sun.jnu.encoding}).
   */
  InvalidInputException nameNotEncodable(Path file) {
    String encoding =
        System.getProperty("sun.jnu.encoding", java.nio.charset.Charset.defaultCharset().name());
    boolean utf8 =
        java.nio.charset.Charset.isSupported(encoding)
            && java.nio.charset.Charset.forName(encoding)
                .equals(java.nio.charset.StandardCharsets.UTF_8);
    return invalid(
        String.format(
            "%s '%s' cannot be opened by its name: the name has bytes that are not valid %s, this Java's file name "
                + "encoding (sun.jnu.encoding), so they are lost as text. %s",
            noun,
            name(file),
            encoding,
            utf8
                ? "Rename the file to a name in UTF-8."
                : "Rename the file to plain ASCII, or run Java in a UTF-8 locale (for example LANG=C.UTF-8)."));
  }

  InvalidInputException unreadable(Path file, Throwable cause) {
    String why = cause == null ? "" : ": " + cause.getClass().getSimpleName();
    return invalid(
        String.format(
            "%s '%s' cannot be read (%s)%s. Check that this program may read it (its permissions) and that nothing "
                + "else is still writing it.",
            noun, name(file), file.toAbsolutePath(), why),
        cause);
  }

  InvalidInputException notOnDefaultFileSystem(Path file) {
    return invalid(
        String.format(
            "%s '%s' is not on the default file system (%s). Copy it to a local file first.",
            noun, name(file), file.getFileSystem()));
  }

  InvalidInputException empty(Path file) {
    return invalid(
        String.format(
            "%s '%s' is empty (0 bytes). Export the %s again as %s.",
            noun, name(file), role, formats));
  }

  InvalidInputException tooLarge(Path file, long size, long limit) {
    return invalid(
        String.format(
            Locale.ROOT,
            "%s '%s' is %s, over the limit of %s. Use a smaller file, or raise the media probe's %s.",
            noun,
            name(file),
            describeSize(size),
            describeSize(limit),
            limitSetter));
  }

  InvalidInputException notThisKind(Path file, String contentDescription) {
    return invalid(
        String.format(
            "%s '%s' is not %s (its content looks like %s). Export the %s as %s.",
            noun, name(file), accepted, contentDescription, role, formats));
  }

  /**
   * The content is none of this kind's formats; a file too short to hold any signature is called
   * cut instead.
   */
  InvalidInputException unrecognised(Path file, String contentDescription, long size) {
    if (size < ContentSniffer.MIN_SIGNATURE_BYTES) {
      return corrupt(file, "it holds only " + size + (size == 1 ? " byte" : " bytes"), null);
    }
    return notThisKind(file, contentDescription);
  }

  /**
   * The file starts like its format but breaks off or contradicts itself; {@code detail} says
   * where.
   */
  InvalidInputException corrupt(Path file, String detail, Throwable cause) {
    return invalid(
        String.format(
            "%s '%s' seems truncated or corrupt: %s. Copy the file again or export the %s again as %s.",
            noun, name(file), detail, role, formats),
        cause);
  }

  /** A plain message about this file that starts with the noun and the file name. */
  InvalidInputException problem(Path file, String whatIsWrongAndWhatToDo, Throwable cause) {
    return invalid(String.format("%s '%s' %s", noun, name(file), whatIsWrongAndWhatToDo), cause);
  }

  static String name(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  /**
   * "60.2 MB (60,200,000 bytes)": decimal megabytes, like the limits' defaults, plus the exact
   * count.
   */
  static String describeSize(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB (%,d bytes)", bytes / 1_000_000.0, bytes);
  }
}
