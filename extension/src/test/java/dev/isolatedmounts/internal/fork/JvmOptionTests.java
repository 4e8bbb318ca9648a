package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JvmOption tells what an option sets")
class JvmOptionTests {

  @Test
  @DisplayName("the system property of -Dname=value and of -Dname")
  void property() {
    assertThat(JvmOption.property("-Dgreeting=hello=world")).hasValue("greeting");
    assertThat(JvmOption.property("-Dflag")).hasValue("flag");
    assertThat(JvmOption.property("-D")).isEmpty();
    assertThat(JvmOption.property("-Xmx64m")).isEmpty();
    assertThat(JvmOption.setsProperty(List.of("-Xmx64m", "-Da=1"), "a")).isTrue();
    assertThat(JvmOption.setsProperty(List.of("-Dab=1"), "a")).isFalse();
  }

  @Test
  @DisplayName("the VM flag of -XX:+Name, -XX:-Name and -XX:Name=value")
  void flag() {
    assertThat(JvmOption.flag("-XX:+UseSerialGC")).hasValue("UseSerialGC");
    assertThat(JvmOption.flag("-XX:-AOTReplayTraining")).hasValue("AOTReplayTraining");
    assertThat(JvmOption.flag("-XX:AOTCache=/c/k.aot")).hasValue("AOTCache");
    assertThat(JvmOption.flag("-Xshare:auto")).isEmpty();
    assertThat(JvmOption.setsFlag(List.of("-XX:+AOTReplayTraining"), "AOTReplayTraining"))
        .isTrue();
    assertThat(JvmOption.setsFlag(List.of("-XX:+AOTReplayTrainingX"), "AOTReplayTraining"))
        .isFalse();
  }

  @Test
  @DisplayName("the user's decisions about class-data sharing, the AOT cache's options too")
  void sharing() {
    assertThat(JvmOption.decidesSharing("-Xshare:off")).isTrue();
    assertThat(JvmOption.decidesSharing("-XX:AOTCache=/tmp/app.aot")).isTrue();
    assertThat(JvmOption.decidesSharing("-XX:AOTMode=off")).isTrue();
    assertThat(JvmOption.decidesSharing("-XX:AOTConfiguration=app.aotconf")).isTrue();
    assertThat(JvmOption.decidesSharing("-XX:AOTCacheOutput=app.aot")).isTrue();
    assertThat(JvmOption.decidesSharing("-XX:-UseSharedSpaces")).as("sharing off").isTrue();
    assertThat(JvmOption.decidesSharing("-XX:SharedArchiveFile=app.jsa")).isTrue();
    assertThat(JvmOption.decidesSharing("-XX:ArchiveClassesAtExit=app.jsa")).isTrue();
    assertThat(JvmOption.decidesSharing("-Xshare:auto")).isFalse();
    assertThat(JvmOption.decidesSharing("-XX:+AOTClassLinking")).isFalse();
  }

  @Test
  @DisplayName("recognizes options that choose a garbage collector")
  void collector() {
    assertThat(JvmOption.choosesCollector("-XX:+UseG1GC")).isTrue();
    assertThat(JvmOption.choosesCollector("-XX:+UseSerialGC")).isTrue();
    assertThat(JvmOption.choosesCollector("-XX:-UseCompressedOops")).isFalse();
  }
}
