package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.fork.ChildClassPath;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * JDK 24 and later warn when a library loads native code without being allowed to, and a later
 * JDK will refuse it: the test run's own JVM must not load JNA's native library, which only the
 * children, started with native access enabled, need.
 */
@DisplayName("The test run's JVM loads no native code")
class NativeAccessTests {

  @Test
  @DisplayName("two runs of isolated tests: JNA's native library not loaded in the parent, no"
      + " warning; the first child tells where JNA found the system's libraries, and the"
      + " children after it, of this run and the next, are given that")
  void parentLoadsNoNativeCode(@TempDir Path cache) throws Exception {
    assumeTrue(Files.exists(Path.of("/etc/ld.so.cache")), "the path is kept while it is unchanged");
    List<String> first = run(cache);
    List<String> second = run(cache);

    assertThat(first.get(0)).as("the first run's first child").startsWith("CHILD given=false");
    assertThat(second).as("the second run").allMatch(line -> line.startsWith("CHILD given=true"));
    String path = first.get(0).substring(first.get(0).indexOf("path=") + "path=".length());
    assertThat(path.split(":")).as(path)
        .anyMatch(directory -> Files.isDirectory(Path.of(directory)));
    assertThat(Stream.concat(first.stream(), second.stream())).as("the path each child ran with")
        .hasSize(4).allMatch(line -> line.endsWith(" path=" + path));
  }

  /** Runs {@link TwoTestCase} in a JVM of its own; its lines, after checking what it printed. */
  private static List<String> run(Path cache) throws Exception {
    Process parent = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // A cache of its own, where no archive is trained: -Xshare is the user's choice.
        "-Disolatedmounts.cacheDir=" + cache, "-Disolatedmounts.jvmArgs=-Xshare:off",
        "-cp", String.join(File.pathSeparator, ChildClassPath.of(
            System.getProperty("java.class.path"), NativeAccessTests.class.getClassLoader())),
        Driver.class.getName()).redirectErrorStream(true).start();
    parent.getOutputStream().close();
    String printed = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(parent.waitFor()).as(printed).isZero();
    // JNA sets the property as it starts; the warning comes on JDK 24 and later only.
    assertThat(printed).as("JNA in the parent")
        .contains("PARENT jna.platform.library.path=null", "PARENT native library=false")
        .doesNotContain("restricted method");
    assertThat(printed.lines().filter(line -> line.startsWith("RESULT")))
        .as(printed).containsExactly("RESULT SUCCESSFUL", "RESULT SUCCESSFUL");
    return printed.lines().filter(line -> line.startsWith("CHILD")).toList();
  }

  /** A test run's JVM, as a build tool's: prints what its children said, then its own state. */
  static final class Driver {
    public static void main(String[] args) {
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(TwoTestCase.class)).build(), new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
              Map<String, String> values = entry.getKeyValuePairs();
              if (values.containsKey("given")) {
                System.out.println("CHILD given=" + values.get("given") + " path="
                    + values.get("path"));
              }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
              if (test.isTest()) {
                System.out.println("RESULT " + result.getStatus()
                    + result.getThrowable().map(t -> " " + t).orElse(""));
              }
            }
          });
      System.out.println("PARENT jna.platform.library.path="
          + System.getProperty("jna.platform.library.path"));
      try {
        System.out.println("PARENT native library="
            + Files.readString(Path.of("/proc/self/maps")).contains("jnidispatch"));
      } catch (java.io.IOException e) {
        System.out.println("PARENT native library=unknown: " + e);
      }
      System.out.flush();
      System.exit(0);
    }
  }

  @IsolatedMounts
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class TwoTestCase {

    @Test
    void first(TestReporter reporter) {
      report(reporter);
    }

    @Test
    void second(TestReporter reporter) {
      report(reporter);
    }

    private static void report(TestReporter reporter) {
      com.sun.jna.Native.getLastError(); // loaded already, as in every child
      String path = String.valueOf(System.getProperty("jna.platform.library.path"));
      reporter.publishEntry(Map.of("path", path, "given", String.valueOf(
          ManagementFactory.getRuntimeMXBean().getInputArguments()
              .contains("-Djna.platform.library.path=" + path))));
    }
  }
}
