package dev.isolatedmounts.internal.junit;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The {@code isolatedmounts.*} keys among the configuration parameters of the test plan under
 * way: those given to the launcher itself (Surefire's {@code configurationParameters}, the console
 * launcher's {@code --config}) too, which an extension cannot list, so that {@link
 * UnknownSettings} can check them. Told of each plan by the session's
 * launcher (see {@link SessionPool}).
 */
final class LauncherSettings implements TestExecutionListener {

  private volatile Set<String> keys = Set.of();

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    try {
      keys = testPlan.getConfigurationParameters().keySet().stream()
          .filter(key -> key.startsWith(UnknownSettings.PREFIX))
          .collect(Collectors.toUnmodifiableSet());
    } catch (RuntimeException | LinkageError e) {
      keys = Set.of(); // the other places are still checked
    }
  }

  /** The keys of the plan under way; none before one started. */
  Set<String> keys() {
    return keys;
  }
}
