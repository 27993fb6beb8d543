package io.openavathar.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openavathar.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LicenseKeyTest {
  @Test
  void parse_fourGroups_normalises() {
    assertThat(LicenseKey.parse("OAVR-NCQ3-DAKK-KWFL-DG43").value())
        .isEqualTo("OAVR-NCQ3-DAKK-KWFL-DG43");
  }

  @Test
  void parse_threeGroupsFromTheDocuments_isAccepted() {
    assertThat(LicenseKey.parse("OAVR-A1B2-C3D4-E5F6").value()).isEqualTo("OAVR-A1B2-C3D4-E5F6");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " oavr-ncq3dakk-kwfl-dg43 ",
        "OAVRNCQ3DAKKKWFLDG43",
        "oavr--ncq3--dakk-kwfl-dg43-",
        "OAVR NCQ3 DAKK KWFL DG43",
        "\toAvR-nCq3-DaKk-KwFl-Dg43\n"
      })
  void parse_anyCaseSpacesAndDashes_normalises(String text) {
    assertThat(LicenseKey.parse(text).value()).isEqualTo("OAVR-NCQ3-DAKK-KWFL-DG43");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "ABCD-NCQ3-DAKK-KWFL-DG43",
        "OAVR-NCQ3-DAKK",
        "OAVR-NCQ3-DAKK-KWFL-DG43-X",
        "OAVR-NCQ3-DAKK-KWFL-DG4!",
        "OAVR-NCQ3-DAKK-KWFL-DG43-ZZZZ",
        "SECRETPART-OAVR"
      })
  void parse_badKeys_areRejectedWithoutEchoingThem(String text) {
    assertThatThrownBy(() -> LicenseKey.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("OAVR-")
        .satisfies(
            e -> {
              if (text.trim().length() > 4) {
                assertThat(e.getMessage()).doesNotContain(text.trim());
              }
            });
  }

  @Test
  void masked_andToString_hideAllButTheLastGroup() {
    LicenseKey four = LicenseKey.parse("OAVR-NCQ3-DAKK-KWFL-DG43");
    LicenseKey three = LicenseKey.parse("OAVR-A1B2-C3D4-E5F6");

    assertThat(four.masked()).isEqualTo("OAVR-****-****-****-DG43");
    assertThat(four.toString()).isEqualTo(four.masked()).doesNotContain("NCQ3");
    assertThat(three.masked()).isEqualTo("OAVR-****-****-E5F6");
  }

  @Test
  void equals_comparesNormalisedKeys() {
    assertThat(LicenseKey.parse("oavr ncq3 dakk kwfl dg43"))
        .isEqualTo(LicenseKey.parse("OAVR-NCQ3-DAKK-KWFL-DG43"))
        .hasSameHashCodeAs(LicenseKey.parse("OAVR-NCQ3-DAKK-KWFL-DG43"));
    assertThat(LicenseKey.parse("OAVR-NCQ3-DAKK-KWFL-DG43"))
        .isNotEqualTo(LicenseKey.parse("OAVR-NCQ3-DAKK-KWFL-DG44"));
  }
}
