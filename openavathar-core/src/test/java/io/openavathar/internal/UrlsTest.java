package io.openavathar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlsTest {
  @Test
  void withoutUserInfo_keepsCredentialsOutOfMessages() {
    assertThat(Urls.withoutUserInfo(URI.create("https://user:secret@host/prefix")))
        .isEqualTo("https://host/prefix");
    assertThat(Urls.withoutUserInfo(URI.create("http://127.0.0.1:8188")))
        .isEqualTo("http://127.0.0.1:8188");
    assertThat(Urls.withoutUserInfo("http://a:b@h:1/x")).isEqualTo("http://h:1/x");
    assertThat(Urls.withoutUserInfo("not a uri at all")).isEqualTo("not a uri at all");
  }
}
