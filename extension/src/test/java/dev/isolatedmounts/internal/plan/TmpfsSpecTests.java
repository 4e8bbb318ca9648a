package dev.isolatedmounts.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A tmpfs's mount data")
class TmpfsSpecTests {

  @ParameterizedTest(name = "mode {0} (octal) is mode={1}")
  @CsvSource({"0, 0000", "7, 0007", "700, 0700", "755, 0755", "1777, 1777", "4755, 4755"})
  void mode(String octal, String option) {
    assertThat(TmpfsSpec.modeOption(Integer.parseInt(octal, 8))).isEqualTo("mode=" + option);
  }

  @ParameterizedTest(name = "size \"{0}\": {1}")
  @CsvSource(value = {"'', mode=0700", "4m, 'mode=0700,size=4m'", "10%, 'mode=0700,size=10%'"})
  void withSize(String size, String data) {
    assertThat(new TmpfsSpec("/var/lib/x", size, 0700).mountData()).isEqualTo(data);
  }
}
