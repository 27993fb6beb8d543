package io.openavathar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcPasswordTest {

  @Test
  void split_takesThePasswordParameterOut_keepingTheOthersInOrder() {
    JdbcPassword split =
        JdbcPassword.split("jdbc:postgresql://db:5432/s?user=u&Password=p%26w&sslmode=require");

    assertThat(split.withoutPassword())
        .isEqualTo("jdbc:postgresql://db:5432/s?user=u&sslmode=require");
    assertThat(split.password()).isEqualTo("p&w");
    assertThat(split.toString()).doesNotContain("p%26w").doesNotContain("p&w");
  }

  @Test
  void split_withoutPassword_keepsTheUrl_andAnEmptyOneIsEmpty() {
    assertThat(JdbcPassword.split("jdbc:postgresql://db/s?user=u"))
        .isEqualTo(new JdbcPassword("jdbc:postgresql://db/s?user=u", null));
    assertThat(JdbcPassword.split("jdbc:postgresql://db/s"))
        .isEqualTo(new JdbcPassword("jdbc:postgresql://db/s", null));
    assertThat(JdbcPassword.split("jdbc:postgresql://db/s?password"))
        .isEqualTo(new JdbcPassword("jdbc:postgresql://db/s", ""));
  }
}
