package dev.isolatedmounts.internal.fork;

import java.util.List;

/**
 * The environment variables whose options a JVM and its launcher add to their own command line.
 * This JVM's options, which a child inherits, already hold theirs: a child given both would take
 * them twice, and an agent there (a CI's JaCoCo in {@code JAVA_TOOL_OPTIONS}) would define its
 * classes twice and abort the child before its test.
 */
final class OptionsVariables {

  static final List<String> NAMES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
      "_JAVA_OPTIONS");

  private OptionsVariables() {}

  /** Leaves them out of what {@code builder} starts, which gets their options from this JVM's. */
  static ProcessBuilder removedFrom(ProcessBuilder builder) {
    builder.environment().keySet().removeAll(NAMES);
    return builder;
  }
}
