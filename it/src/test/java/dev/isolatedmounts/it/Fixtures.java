package dev.isolatedmounts.it;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture test classes through the real Jupiter engine, as a build tool would. */
final class Fixtures {

  /** Paths every fixture uses as mount targets; none of them exists on the host. */
  static final String VAR_LIB = "/var/lib/isolated-mounts-it";
  static final String ETC = "/etc/isolated-mounts-it";
  static final String TOP = "/isolated-mounts-it-top";

  private Fixtures() {}

  /**
   * This process's pid as the host sees it. In a child, {@code ProcessHandle.current().pid()} is
   * its pid inside its own PID namespace (always 2), while {@code /proc} is still the host's.
   */
  static long hostPid() {
    try {
      return Long.parseLong(java.nio.file.Files.readSymbolicLink(
          java.nio.file.Path.of("/proc/self")).toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static EngineExecutionResults run(Class<?> testCase) {
    return run(testCase, Map.of());
  }

  static EngineExecutionResults run(Class<?> testCase, Map<String, String> configuration) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(configuration)
        .selectors(selectClass(testCase))
        .execute();
  }
}
