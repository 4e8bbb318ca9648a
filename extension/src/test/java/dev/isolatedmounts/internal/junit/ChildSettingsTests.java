package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ChildSettings")
class ChildSettingsTests {

  @Test
  @DisplayName("a collector or a sharing choice of the user's replaces the default one; on JDK 25"
      + " an AOT cache option is a sharing choice, which the JDK refuses beside any -Xshare")
  void defaultsGiveWay() {
    List<String> defaults = ChildSettings.DEFAULT_JVM_OPTIONS;
    assertThat(ChildSettings.merge(defaults, List.of("-Dx=y")))
        .containsSubsequence("-XX:+UseSerialGC", "-Xshare:auto", "-Dx=y");
    assertThat(ChildSettings.merge(defaults, List.of("-XX:+UseG1GC")))
        .doesNotContain("-XX:+UseSerialGC").contains("-Xshare:auto").endsWith("-XX:+UseG1GC");
    assertThat(ChildSettings.merge(defaults, List.of("-XX:AOTCache=/tmp/app.aot")))
        .doesNotContain("-Xshare:auto").contains("-XX:+UseSerialGC");
    assertThat(ChildSettings.merge(defaults, List.of("-XX:AOTMode=off")))
        .doesNotContain("-Xshare:auto");
    assertThat(ChildSettings.merge(defaults, List.of("-Xshare:off")))
        .containsOnlyOnce("-Xshare:off").doesNotContain("-Xshare:auto");
  }

  @Nested
  @DisplayName("isolatedmounts.debug")
  class Debug {

    @Test
    @DisplayName("a port becomes a JDWP agent that listens there and waits suspended")
    void agent() {
      assertThat(ChildSettings.debugAgent(ChildSettings.debugPort(" 5005".trim())))
          .isEqualTo("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=5005");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"0", "65536", "-1", "true", "localhost:5005"})
    @DisplayName("anything but a port from 1 to 65535 is refused, naming the key and the value")
    void refused(String value) {
      assertThatThrownBy(() -> ChildSettings.debugPort(value))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("Configuration parameter isolatedmounts.debug must be a TCP port from 1 to"
              + " 65535 for the child JVM's debugger to attach to, such as \"5005\", but was \""
              + value + "\"; leave it unset to run children without one");
    }

    @Test
    @DisplayName("native access for the class path, where the child's JNA is, added to the user's"
        + " own module list if there is one")
    void nativeAccess() {
      assertThat(ChildSettings.withNativeAccess(List.of("-Xmx64m")))
          .containsExactly("-Xmx64m", "--enable-native-access=ALL-UNNAMED");
      assertThat(ChildSettings.withNativeAccess(List.of("--enable-native-access=my.module")))
          .containsExactly("--enable-native-access=my.module,ALL-UNNAMED");
      assertThat(ChildSettings.withNativeAccess(List.of("--enable-native-access", "my.module")))
          .containsExactly("--enable-native-access", "my.module,ALL-UNNAMED");
      assertThat(ChildSettings.withNativeAccess(
          List.of("--enable-native-access=ALL-UNNAMED,my.module")))
          .containsExactly("--enable-native-access=ALL-UNNAMED,my.module");
    }

    @Test
    @DisplayName("the parent's own debugger agent is not passed on: its port is taken")
    void parentAgentDropped() {
      assertThat(ChildSettings.inheritedJvmOptions())
          .noneMatch(option -> option.startsWith("-agentlib:jdwp"));
    }
  }

  @Nested
  @DisplayName("durations")
  class Durations {

    /** As the extension's own messages print them (ChildProcess.format), 500ms included. */
    @ParameterizedTest
    @ValueSource(strings = {"90s=PT1M30S", "2m=PT2M", "1h30m=PT1H30M", "500ms=PT0.5S",
        "1m30s=PT1M30S", "1s500ms=PT1.5S", "61001ms=PT1M1.001S", "2H=PT2H", "0s=PT0S", "1.5s=PT1.5S", "0.25s=PT0.25S",
        "1m0.5s=PT1M0.5S"})
    @DisplayName("are hours, minutes, seconds and milliseconds, in that order")
    void parsed(String pair) {
      String[] parts = pair.split("=");
      assertThat(ChildSettings.parseDuration(parts[0]))
          .isEqualTo(java.time.Duration.parse(parts[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5s", "10", "s", "1.5m", "1.s", ".5s", "30s2m", "1m1m",
        "1d", "1 s", "5sec", "9999999999s"})
    @DisplayName("refuse anything else")
    void refused(String value) {
      assertThat(ChildSettings.parseDuration(value)).isNull();
    }

    @Test
    @DisplayName("a cache directory that is a file or cannot be made is refused; one that cannot"
        + " be written in is taken, for the archives it holds")
    void badCacheDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
        throws java.io.IOException {
      java.nio.file.Path file = java.nio.file.Files.createFile(temp.resolve("file"));
      assertThatThrownBy(() -> ChildSettings.configuredCacheDirectory(file.toString()))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("Configuration parameter isolatedmounts.cacheDir must name a directory, but "
              + file + " is a file; give a directory, or set isolatedmounts.cds=false to keep no"
              + " archive");
      assertThatThrownBy(() -> ChildSettings.configuredCacheDirectory("/proc/isolated-mounts"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("Configuration parameter isolatedmounts.cacheDir names"
              + " /proc/isolated-mounts, which could not be made (java.nio.file.")
          .hasMessageEndingWith("); give a directory this user can write, or set"
              + " isolatedmounts.cds=false to keep no archive");
      assertThat(java.nio.file.Path.of("/proc/isolated-mounts")).doesNotExist();
      // A directory that exists, but in which no file can be made: its archives are used.
      assertThat(ChildSettings.configuredCacheDirectory("/proc"))
          .isEqualTo(java.nio.file.Path.of("/proc"));
    }

    @Test
    @DisplayName("an empty cache directory is refused, not taken for the working directory")
    void emptyCacheDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> ChildSettings.configuredCacheDirectory(" "))
          .hasMessage("Configuration parameter isolatedmounts.cacheDir must name a directory, but"
              + " was empty, which would put the archives in the working directory; give a path"
              + " such as \"target/isolated-mounts-cache\", leave it unset for the default (the"
              + " build directory's isolated-mounts-cache), or set isolatedmounts.cds=false to"
              + " keep no archive");
      assertThat(ChildSettings.configuredCacheDirectory(temp.resolve("cache/x") + " "))
          .isEqualTo(temp.resolve("cache/x")).isDirectory();
    }

    @Test
    @DisplayName("as a setting, at most 1000 days: a deadline in nanoseconds overflows past 292"
        + " years, and would kill a test at once")
    void longest() {
      assertThat(ChildSettings.duration("isolatedmounts.timeout", "24000h"))
          .isEqualTo(java.time.Duration.ofDays(1000));
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> ChildSettings.duration("isolatedmounts.timeout", "2562048h"))
          .isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
          .hasMessage("Configuration parameter isolatedmounts.timeout must be at most 24000h"
              + " (1000 days), but was \"2562048h\"; for a limit no test will meet, give"
              + " \"24000h\"");
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> ChildSettings.duration("isolatedmounts.timeout", "999999999h"))
          .hasMessageContaining("must be at most 24000h");
    }
  }
}
