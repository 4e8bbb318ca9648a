package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The archive of a child's classes")
class ArchiveFormatTests {

  @Test
  @DisplayName("is a dynamic CDS archive up to JDK 24 and an ahead-of-time cache from JDK 25")
  void perJdk() {
    assertThat(ArchiveFormat.of(Runtime.Version.parse("17.0.15")))
        .isEqualTo(ArchiveFormat.DYNAMIC_CDS);
    assertThat(ArchiveFormat.of(Runtime.Version.parse("24"))).isEqualTo(ArchiveFormat.DYNAMIC_CDS);
    assertThat(ArchiveFormat.of(Runtime.Version.parse("25.0.3")))
        .isEqualTo(ArchiveFormat.AOT_CACHE);
    assertThat(ArchiveFormat.of(Runtime.Version.parse("26-ea"))).isEqualTo(ArchiveFormat.AOT_CACHE);
  }

  @Test
  @DisplayName("is written, used and checked with the options of its JDK")
  void options() {
    Path file = Path.of("/cache/child-k.jsa");
    assertThat(ArchiveFormat.DYNAMIC_CDS.writeOption(file))
        .isEqualTo("-XX:ArchiveClassesAtExit=/cache/child-k.jsa");
    assertThat(ArchiveFormat.DYNAMIC_CDS.useOptions(file))
        .containsExactly("-XX:SharedArchiveFile=/cache/child-k.jsa", "-Xshare:auto",
            "-Xlog:cds*=off", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    assertThat(ArchiveFormat.DYNAMIC_CDS.checkOptions(file)).contains("-Xshare:on")
        .containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    Path cache = Path.of("/cache/child-k.aot");
    assertThat(ArchiveFormat.AOT_CACHE.writeOption(cache))
        .isEqualTo("-XX:AOTCacheOutput=/cache/child-k.aot");
    assertThat(ArchiveFormat.AOT_CACHE.useOptions(cache))
        .startsWith("-XX:AOTCache=/cache/child-k.aot").contains("-Xlog:aot*=off");
    assertThat(ArchiveFormat.AOT_CACHE.checkOptions(cache)).contains("-XX:AOTMode=on");
  }

  @Test
  @DisplayName("from JDK 25 on, replaces the default -Xshare:auto, which the JDK refuses beside it")
  void withoutXshare() {
    var options = java.util.List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Dx=y");
    Path cache = Path.of("/cache/child-k.aot");
    assertThat(ArchiveFormat.AOT_CACHE.withArchive(options, cache))
        .containsExactly("-XX:+UseSerialGC", "-Dx=y", "-XX:AOTCache=/cache/child-k.aot",
            "-Xlog:aot*=off", "-Xlog:cds*=off", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:-AOTReplayTraining");
    assertThat(ArchiveFormat.DYNAMIC_CDS.withArchive(options, Path.of("/cache/child-k.jsa")))
        .startsWith("-XX:+UseSerialGC", "-Xshare:auto", "-Dx=y",
            "-XX:SharedArchiveFile=/cache/child-k.jsa");
  }

  @Test
  @DisplayName("from JDK 25 on, turns the replay of the training's profiles off, unless the user"
      + " chose about it; the cache's check needs the flag too")
  void replay() {
    Path cache = Path.of("/cache/child-k.aot");
    assertThat(ArchiveFormat.AOT_CACHE.checkOptions(cache))
        .containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
    assertThat(ArchiveFormat.AOT_CACHE.withArchive(java.util.List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+AOTReplayTraining"), cache))
        .containsOnlyOnce("-XX:+AOTReplayTraining").doesNotContain("-XX:-AOTReplayTraining");
    assertThat(ArchiveFormat.DYNAMIC_CDS.withArchive(java.util.List.of(), Path.of("/c/k.jsa")))
        .noneMatch(option -> option.contains("AOT"));
  }

  @Test
  @DisplayName("up to JDK 24, is mapped where it was written to be, unless the user chose about it")
  void relocation() {
    Path file = Path.of("/cache/child-k.jsa");
    assertThat(ArchiveFormat.DYNAMIC_CDS.withArchive(java.util.List.of(), file))
        .containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    assertThat(ArchiveFormat.DYNAMIC_CDS.withArchive(java.util.List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=1"), file))
        .containsOnlyOnce("-XX:ArchiveRelocationMode=1")
        .doesNotContain("-XX:ArchiveRelocationMode=0");
    // Its own flag stays unlocked after a user's locking: that only guards the user's own flags.
    assertThat(ArchiveFormat.DYNAMIC_CDS.withArchive(
            java.util.List.of("-XX:-UnlockDiagnosticVMOptions"), file))
        .endsWith("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
  }

  @Test
  @DisplayName("left half-written by a killed JVM is recognised by that JVM's pid")
  void partialNames() {
    assertThat(ArchiveCache.trainerPid("child-0718ee8b24db.jsa.4242.tmp")).isEqualTo(4242);
    assertThat(ArchiveCache.trainerPid("child-0718ee8b24db.aot.77.tmp.config")).isEqualTo(77);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ArchiveCache.trainerPid("child-0718ee8b24db.aot"));
  }
}
