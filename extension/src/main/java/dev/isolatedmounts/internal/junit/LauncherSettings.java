package dev.isolatedmounts.internal.junit;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The keys of the configuration parameters of the test plan under way, the {@code
 * isolatedmounts.*} ones among them: those given to the launcher itself (Surefire's {@code
 * configurationParameters}, the console launcher's {@code --config}) too, which an extension
 * cannot list, so that {@link UnknownSettings} can check them. Told of each plan by the session's
 * launcher (see {@link SessionPool}).
 */
final class LauncherSettings implements TestExecutionListener {

  private volatile Set<String> all = Set.of();

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    try {
      all = Set.copyOf(testPlan.getConfigurationParameters().keySet());
    } catch (RuntimeException | LinkageError e) {
      all = Set.of(); // the other places are still checked, the listed keys still forwarded
    }
  }

  /**
   * The keys of the plan under way that {@link UnknownSettings} looks at: {@code isolatedmounts.*}
   * and those with that prefix misspelt; none before one started.
   */
  Set<String> keys() {
    return all.stream().filter(UnknownSettings::concerns)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Every key of the plan under way, so that a child is given what the launcher was given
   * ({@link ChildSettings#configurationParameters}); none before one started.
   */
  Set<String> allKeys() {
    return all;
  }
}
