package io.openavathar.license.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One line per request, without keys, bodies or query strings. */
class AccessLogTest {
  @TempDir Path dir;

  @Test
  void oneLinePerRequest_withoutSecrets() throws InterruptedException {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    try (LicenseServer server =
        LicenseServer.builder().dataDirectory(dir).requestLog(new AccessLog(lines::add)).start()) {
      String key = server.issueLicense("buyer@example.com").value();
      Http http = new Http(server.baseUrl());
      http.post("/api/license/validate", "{\"licenseKey\":\"" + key + "\"}");
      http.get("/api/generation/check?fingerprint=secret-device");
      http.get("/api/license/" + key + "?licenseKey=" + key);

      List<String> logged = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("line " + i).isNotNull();
        logged.add(line);
      }
      assertThat(logged)
          .anySatisfy(
              l -> assertThat(l).matches("127\\.0\\.0\\.1 POST /api/license/validate 200 \\d+ ms"))
          .anySatisfy(
              l -> assertThat(l).matches("127\\.0\\.0\\.1 GET /api/generation/check 200 \\d+ ms"));
      assertThat(logged)
          .anySatisfy(l -> assertThat(l).startsWith("127.0.0.1 GET /api/license/OAVR-**** 404 "));
      assertThat(String.join("\n", logged))
          .doesNotContain(key)
          .doesNotContain(key.substring(5))
          .doesNotContain("secret-device")
          .doesNotContain("buyer");
    }
  }

  @Test
  void safePath_masksKeys_andControlCharacters_andCutsLongPaths() {
    assertThat(AccessLog.safePath("/x/oavr-ncq3-dakk-kwfl-dg43/y")).isEqualTo("/x/OAVR-****/y");
    assertThat(AccessLog.safePath("/a\nFAKE 200")).isEqualTo("/a?FAKE 200");
    assertThat(AccessLog.safePath("/" + "p".repeat(500))).hasSize(203);
    assertThat(AccessLog.safePath(null)).isEqualTo("-");
  }
}
