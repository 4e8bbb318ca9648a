package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JvmArguments")
class JvmArgumentsTests {

  @Test
  @DisplayName("splits at white space and keeps quoted parts together")
  void split() {
    assertThat(JvmArguments.split("  -Xmx64m \"-Dgreeting=hello world\"\t-ea "))
        .containsExactly("-Xmx64m", "-Dgreeting=hello world", "-ea");
    assertThat(JvmArguments.split("-Dempty=\"\"")).containsExactly("-Dempty=");
    assertThat(JvmArguments.split("   ")).isEmpty();
  }
}
