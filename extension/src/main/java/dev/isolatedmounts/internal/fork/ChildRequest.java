package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.plan.MountPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start the child JVM of one isolated test.
 *
 * @param uniqueId the JUnit unique id of the test the child runs
 * @param displayName the test's display name, for messages
 * @param plan the validated mounts
 * @param classPath the child's class path entries
 * @param jvmOptions options for the child JVM, before the main class
 * @param systemProperties properties the child sets before running the test
 * @param configurationParameters JUnit configuration parameters passed on to the child's launcher
 * @param connectTimeout how long the child may take to start and connect
 * @param timeout how long the child may run in all, after which it and all it started are killed
 * @param testClassLoader the loader that decodes the exceptions the child reports
 */
public record ChildRequest(
    String uniqueId,
    String displayName,
    MountPlan plan,
    List<String> classPath,
    List<String> jvmOptions,
    Map<String, String> systemProperties,
    Map<String, String> configurationParameters,
    Duration connectTimeout,
    Duration timeout,
    ClassLoader testClassLoader) {

  public ChildRequest {
    classPath = List.copyOf(classPath);
    jvmOptions = List.copyOf(jvmOptions);
    systemProperties = Map.copyOf(systemProperties);
    configurationParameters = Map.copyOf(configurationParameters);
  }
}
