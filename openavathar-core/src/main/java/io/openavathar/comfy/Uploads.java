package io.openavathar.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.InvalidInputException;
import io.openavathar.OpenAvatharException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code POST /upload/image} (reference §2.4): a streamed multipart upload of an image or audio
 * file.
 */
final class Uploads {
  private static final String OPERATION = "POST /upload/image";

  private Uploads() {}

  static CompletableFuture<UploadedFile> upload(ComfyHttp h, Path file, TransferListener listener) {
    long size;
    try {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IOException("not a regular file");
      }
      size = Files.size(file);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new InvalidInputException(
              "Cannot upload '" + file + "': it does not exist or cannot be read. Check the path.",
              e));
    }
    String name = file.getFileName().toString();
    TransferListener progress = SafeTransferListener.of(listener);
    HttpUrl url = h.url("upload", "image");
    // Retrying is safe: without "overwrite" the server stores identical content only once and
    // answers with the
    // existing name (since 2024-07), and different content gets a new name ("x (1).wav"), never a
    // clobbered file.
    return h.retried(
        OPERATION,
        until -> {
          MultipartBody body =
              new MultipartBody.Builder()
                  .setType(MultipartBody.FORM)
                  .addFormDataPart("type", "input")
                  .addFormDataPart(
                      "image",
                      name,
                      new ProgressRequestBody(file, size, ContentTypes.forFileName(name), progress))
                  .build();
          Request request = h.request(url).post(body).build();
          return h.exchange(OPERATION, request, until, response -> answer(h, response, name, size));
        });
  }

  private static UploadedFile answer(ComfyHttp h, Response response, String name, long size)
      throws IOException {
    if (response.code() == 413) {
      throw new InvalidInputException(
          "ComfyUI refused '"
              + name
              + "' ("
              + size
              + " bytes) as too large: the server's --max-upload-size is"
              + " smaller. Use a smaller file or raise the limit on the server.");
    }
    JsonNode json = h.json(OPERATION, response);
    JsonNode stored = json.path("name");
    if (!stored.isTextual() || stored.asText().isEmpty()) {
      throw new OpenAvatharException(
          "ComfyUI accepted '"
              + name
              + "' but did not say under which name it stored it (answer: '"
              + ComfyHttp.snippet(json.toString())
              + "'). Check that the URL points at ComfyUI.");
    }
    return new UploadedFile(
        stored.asText(), json.path("subfolder").asText(""), json.path("type").asText("input"));
  }
}
