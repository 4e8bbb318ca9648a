package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The child JVM is started as configured")
class ChildJvmTests {

  @Test
  @DisplayName("jvmArgs from the annotation and the configuration reach the child; a GC of the"
      + " user's own replaces the default one")
  void jvmArgs() {
    Fixtures.run(JvmArgsTestCase.class, Map.of("isolatedmounts.jvmArgs",
            "-Dfrom.config=yes \"-Dwith.space=a b\""))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("configured("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a JVM option the child cannot start with fails the test with the JVM's words")
  void badOption() {
    Fixtures.run(JvmArgsTestCase.class, Map.of("isolatedmounts.jvmArgs", "-XX:+NoSuchOption"))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("configured("), finishedWithFailure(message(m ->
            m.contains("exited with status 1 before connecting")
                && m.contains("Unrecognized VM option 'NoSuchOption'")))));
  }

  @Test
  @DisplayName("with or without children started ahead, every test gets its own")
  void poolSizes() {
    for (String size : new String[] {"0", "1", "3"}) {
      Fixtures.run(RepeatedTestCase.class, Map.of("isolatedmounts.pool", size))
          .testEvents().assertThatEvents()
          .haveExactly(4, event(test("repeated("), finishedSuccessfully()));
      assertThat(ProcessHandle.current().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("ChildMain")))
          .as("children left after a run with isolatedmounts.pool=%s", size).isEmpty();
    }
  }

  @Test
  @DisplayName("a class-data-sharing archive is trained once, cached, then used by children")
  void classDataSharing(@TempDir Path cache) throws Exception {
    Map<String, String> configuration = Map.of("isolatedmounts.cacheDir", cache.toString());
    Fixtures.run(RepeatedTestCase.class, configuration); // same JVM options: same archive

    Path archive = awaitArchive(cache, Duration.ofSeconds(90));
    System.setProperty("it.cds.archive", archive.toString());
    Fixtures.run(SharingTestCase.class, configuration).testEvents().assertThatEvents()
        .haveExactly(1, event(test("usesTheArchive("), finishedSuccessfully()));
  }

  private static Path awaitArchive(Path cache, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(cache)) {
        var archive = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst();
        if (archive.isPresent()) {
          return archive.get();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no archive in " + cache + " after " + timeout);
  }

  @IsolatedMounts(jvmArgs = {"-XX:+UseParallelGC", "-Dfrom.annotation=yes"})
  static class JvmArgsTestCase {
    @Test
    @IsolatedMounts(jvmArgs = "-Dfrom.method=yes")
    void configured() {
      assertThat(System.getProperty("from.annotation")).isEqualTo("yes");
      assertThat(System.getProperty("from.method")).isEqualTo("yes");
      assertThat(System.getProperty("from.config")).isEqualTo("yes");
      assertThat(System.getProperty("with.space")).isEqualTo("a b");
      assertThat(ManagementFactory.getGarbageCollectorMXBeans())
          .extracting(bean -> bean.getName()).contains("PS Scavenge");
      assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
          .contains("-XX:TieredStopAtLevel=1").doesNotContain("-XX:+UseSerialGC");
    }
  }

  @IsolatedMounts
  static class RepeatedTestCase {
    @RepeatedTest(4)
    void repeated() {
      assertThat(Path.of("/proc/self/ns/mnt")).exists();
    }
  }

  @IsolatedMounts
  static class SharingTestCase {
    @Test
    void usesTheArchive() throws IOException {
      assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
          .contains("-XX:SharedArchiveFile=" + System.getProperty("it.cds.archive"));
      // The jars come first: the archive is only valid for a class path that starts with them.
      assertThat(System.getProperty("java.class.path").split(":")[0]).endsWith(".jar");
    }
  }
}
