package dev.isolatedmounts.internal.child;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * Runs a test of this extension's own through a child's launcher before its real test is known.
 * The first test a JVM runs pays for loading and linking most of JUnit; the second costs a few
 * milliseconds. Whether it passes does not matter; it must only not touch anything of the user's,
 * so it reads no configuration from the class path or system properties.
 */
final class WarmUp {

  private WarmUp() {}

  static void run(Launcher launcher) {
    try {
      launcher.execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectMethod(WarmUpTestCase.class, "warmUp"))
          .enableImplicitConfigurationParameters(false)
          .build(), new TestExecutionListener() { });
    } catch (RuntimeException | LinkageError e) {
      // a warm-up only: the real test runs, and reports, as it would have without it
    }
  }

  /** The test that warms up: a constructor, a test method, nothing else. */
  static final class WarmUpTestCase {
    @Test
    void warmUp() {
      // nothing: what it costs to get here is the point
    }
  }
}
