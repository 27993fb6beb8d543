package io.openavathar.testkit.comfy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /upload/image}: stores the multipart {@code image} part below input, temp or output,
 * streaming it to disk (parts over 64 KiB never sit in memory), with ComfyUI's de-duplication and
 * {@code stem (N).ext} renaming.
 */
final class UploadRoute implements SimulatorHandler.Route {

  private static final Logger LOG = LoggerFactory.getLogger(UploadRoute.class);
  private static final long MAX_MEMORY_PART = 64 * 1024;

  private final Directories directories;
  private final long maxUploadBytes;
  private final Path scratch;
  private final AtomicInteger uploads = new AtomicInteger();

  UploadRoute(Directories directories, long maxUploadBytes, Path scratch) {
    this.directories = directories;
    this.maxUploadBytes = maxUploadBytes;
    this.scratch = scratch;
  }

  int uploadCount() {
    return uploads.get();
  }

  @Override
  public Reply handle(Exchange exchange) throws Exception {
    if (!exchange.route().equals("/upload/image")) {
      return null;
    }
    if (!exchange.method().equals("POST")) {
      return Reply.empty(405);
    }
    Request request = exchange.request();
    if (request.getLength() > maxUploadBytes) {
      LOG.debug(
          "Upload refused: {} bytes over the {} byte limit", request.getLength(), maxUploadBytes);
      return Reply.empty(413);
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String boundary = contentType == null ? null : MultiPart.extractBoundary(contentType);
    if (boundary == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
      Content.Source.consumeAll(request);
      return Reply.empty(400);
    }
    MultiPartConfig config =
        new MultiPartConfig.Builder()
            .location(scratch)
            .maxMemoryPartSize(MAX_MEMORY_PART)
            .maxPartSize(maxUploadBytes)
            .maxSize(maxUploadBytes)
            .build();
    MultiPartFormData.Parts parts;
    try {
      parts = MultiPartFormData.getParts(request, request, contentType, config);
    } catch (RuntimeException e) {
      boolean tooLarge = Request.getContentBytesRead(request) > maxUploadBytes;
      LOG.debug("Upload body unreadable [{}]: {}", tooLarge ? 413 : 400, e.toString());
      return Reply.empty(tooLarge ? 413 : 400);
    }
    try (parts) {
      synchronized (
          this) { // aiohttp runs this section without yielding: no two uploads race for a name
        return store(parts);
      }
    }
  }

  private Reply store(MultiPartFormData.Parts parts) throws IOException {
    MultiPart.Part image = parts.getFirst("image");
    if (image == null || image.getFileName() == null || image.getFileName().isEmpty()) {
      return Reply.empty(400);
    }
    String type = text(parts, "type").orElse("input");
    Optional<Path> base = directories.byType(type);
    if (base.isEmpty()) {
      return Reply.empty(500); // get_dir_by_type leaves type_dir unbound for unknown types
    }
    String subfolder = text(parts, "subfolder").orElse("");
    boolean overwrite =
        text(parts, "overwrite").map(v -> v.equals("true") || v.equals("1")).orElse(false);
    Optional<Path> folder = Directories.inside(base.get(), subfolder);
    String sentName = image.getFileName();
    Optional<Path> target =
        folder
            .flatMap(dir -> Directories.inside(dir, sentName))
            .filter(path -> path.startsWith(base.get()));
    String filename = sentName;
    if (folder.isEmpty() || target.isEmpty()) {
      return Reply.empty(400);
    }
    Files.createDirectories(folder.get());
    Path file = target.get();
    boolean duplicate = false;
    if (!overwrite) {
      int dot = filename.lastIndexOf('.');
      String stem = dot > 0 ? filename.substring(0, dot) : filename;
      String extension = dot > 0 ? filename.substring(dot) : "";
      for (int i = 1; Files.exists(file); i++) {
        if (sameContent(file, image)) {
          duplicate = true;
          break;
        }
        filename = stem + " (" + i + ")" + extension;
        file = folder.get().resolve(filename);
      }
    }
    if (!duplicate) {
      Files.deleteIfExists(file);
      image.writeTo(file);
    }
    uploads.incrementAndGet();
    LOG.debug(
        "Upload stored [name={}, subfolder={}, type={}, duplicate={}]",
        filename,
        subfolder,
        type,
        duplicate);
    ObjectNode answer = Json.object();
    answer.put("name", filename);
    answer.put("subfolder", subfolder);
    answer.put("type", type);
    return Reply.json(answer);
  }

  private static Optional<String> text(MultiPartFormData.Parts parts, String name) {
    MultiPart.Part part = parts.getFirst(name);
    return part == null
        ? Optional.empty()
        : Optional.of(part.getContentAsString(StandardCharsets.UTF_8));
  }

  private static boolean sameContent(Path existing, MultiPart.Part part) throws IOException {
    if (Files.size(existing) != part.getLength()) {
      return false;
    }
    try (InputStream file = Files.newInputStream(existing);
        InputStream upload = Content.Source.asInputStream(part.createContentSource())) {
      return Arrays.equals(sha256(file), sha256(upload));
    }
  }

  private static byte[] sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
