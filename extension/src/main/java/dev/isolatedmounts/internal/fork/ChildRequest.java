package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.plan.MountPlan;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The test a started child JVM is given.
 *
 * @param uniqueId the JUnit unique id of the test the child runs
 * @param displayName the test's display name, for messages
 * @param plan the validated mounts
 * @param systemProperties properties the child sets before running the test
 * @param configurationParameters JUnit configuration parameters passed on to the child's launcher
 * @param connectTimeout how long the child may take to start and connect
 * @param timeout how long the child may run in all, after which it and all it started are killed
 * @param testClassLoader the loader that decodes the exceptions the child reports
 * @param debugging whether the child waits for a debugger ({@code isolatedmounts.debug}): then an
 *     interrupt (JUnit's timeout on the test method, here) does not end it, since a developer
 *     stopped at a breakpoint is not a hang
 * @param chosenOptions where the JVM options chosen for this test came from, for the message of a
 *     child that exits before it connects (a JVM refusing an option does); empty if none were.
 *     Worked out only then: a child's start is the hot path
 */
public record ChildRequest(
    String uniqueId,
    String displayName,
    MountPlan plan,
    Map<String, String> systemProperties,
    Map<String, String> configurationParameters,
    Duration connectTimeout,
    Duration timeout,
    ClassLoader testClassLoader,
    boolean debugging,
    Supplier<String> chosenOptions) {

  public ChildRequest {
    systemProperties = Map.copyOf(systemProperties);
    configurationParameters = Map.copyOf(configurationParameters);
  }

  /** A request for a child nobody debugs. */
  public ChildRequest(String uniqueId, String displayName, MountPlan plan,
      Map<String, String> systemProperties, Map<String, String> configurationParameters,
      Duration connectTimeout, Duration timeout, ClassLoader testClassLoader) {
    this(uniqueId, displayName, plan, systemProperties, configurationParameters, connectTimeout,
        timeout, testClassLoader, false, () -> "");
  }
}
