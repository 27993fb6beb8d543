package io.openavathar.examples.cli;

import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns a file argument into a {@link Path}, saying what to do when Java cannot: in a non-UTF-8
 * locale (LANG=C) the JVM's file name encoding ({@code sun.jnu.encoding}) is ASCII, so even {@code
 * café.png} cannot be a file name.
 */
final class PathArguments implements ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      String encoding = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
      boolean utf8 =
          Charset.isSupported(encoding) && Charset.forName(encoding).name().equals("UTF-8");
      throw new TypeConversionException(
          "'"
              + value
              + "' cannot be a file name in this Java ("
              + e.getReason()
              + "; its file name encoding, sun.jnu.encoding, is "
              + encoding
              + "). "
              + (utf8
                  ? "Rename the file."
                  : "Run in a UTF-8 locale (for example LANG=C.UTF-8) or rename the file to plain"
                      + " ASCII."));
    }
  }
}
