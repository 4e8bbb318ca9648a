package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

@DisplayName("JvmArguments")
class JvmArgumentsTests {

  private static final String SETTING = "isolatedmounts.jvmArgs";

  @Test
  @DisplayName("splits at white space and keeps quoted parts together")
  void split() {
    assertThat(JvmArguments.split(SETTING, "  -Xmx64m \"-Dgreeting=hello world\"\t-ea "))
        .containsExactly("-Xmx64m", "-Dgreeting=hello world", "-ea");
    assertThat(JvmArguments.split(SETTING, "-Dempty=\"\"")).containsExactly("-Dempty=");
    assertThat(JvmArguments.split(SETTING, "   ")).isEmpty();
  }

  @Test
  @DisplayName("refuses an empty option, which the java launcher would take for the main class")
  void emptyOption() {
    assertThatThrownBy(() -> JvmArguments.split(SETTING, "-Xmx64m \"\""))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("Configuration parameter isolatedmounts.jvmArgs has an empty option (\"\"):"
            + " \"-Xmx64m \"\"\". The java launcher would take it for the name of the main class,"
            + " and the child would not start: remove it.");
  }

  @Test
  @DisplayName("refuses a double quote left open, naming the setting, its value and the fix")
  void unclosedQuote() {
    assertThatThrownBy(() -> JvmArguments.split("isolatedmounts.defaultJvmArgs",
        " -Xmx64m \"-Dgreeting=hello world "))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageStartingWith("Configuration parameter isolatedmounts.defaultJvmArgs has a"
            + " double quote that is not closed: \"-Xmx64m \"-Dgreeting=hello world\".")
        .hasMessageContaining("close the quote, or remove it");
    assertThatThrownBy(() -> JvmArguments.split(SETTING, "-Da=\"1\" \""))
        .isInstanceOf(ExtensionConfigurationException.class);
  }
}
