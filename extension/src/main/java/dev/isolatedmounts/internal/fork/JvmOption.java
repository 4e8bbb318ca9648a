package dev.isolatedmounts.internal.fork;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one JVM option sets, so that a choice of the user's can win over one this extension would
 * add: the system property of {@code -Dname=value} (or {@code -Dname}), the VM flag of
 * {@code -XX:+Name}, {@code -XX:-Name} or {@code -XX:Name=value}.
 */
public final class JvmOption {

  /** The VM flags with which the user decides about class-data sharing. */
  private static final Set<String> SHARING_FLAGS = Set.of("SharedArchiveFile",
      "ArchiveClassesAtExit", "AOTCache", "AOTCacheOutput", "AOTConfiguration", "AOTMode",
      "UseSharedSpaces");

  private JvmOption() {}

  /**
   * Whether {@code option} is the user's decision about class-data sharing: a sharing mode other
   * than the default {@code -Xshare:auto}, an archive or (JDK 24+) an ahead-of-time cache option.
   * Then the extension makes no archive of its own, and leaves out its default {@code -Xshare},
   * which JDK 25 refuses beside its cache options.
   */
  public static boolean decidesSharing(String option) {
    return option.startsWith("-Xshare:") && !option.equals("-Xshare:auto")
        || flag(option).filter(SHARING_FLAGS::contains).isPresent();
  }

  /** Whether {@code option} chooses a garbage collector: then the default one gives way. */
  public static boolean choosesCollector(String option) {
    return option.matches("-XX:\\+Use\\w*GC");
  }

  /** The system property {@code option} sets, if it is a {@code -D} option. */
  public static Optional<String> property(String option) {
    if (!option.startsWith("-D") || option.length() == 2) {
      return Optional.empty();
    }
    int equals = option.indexOf('=');
    return Optional.of(equals < 0 ? option.substring(2) : option.substring(2, equals));
  }

  /** A {@code -javaagent:JAR[=ARGUMENTS]} option: the agent's jar, its arguments ("" if none). */
  public record JavaAgent(String jar, String arguments) {

    /** Whether it is JaCoCo's agent (jacocoagent.jar, org.jacoco.agent-VERSION-runtime.jar). */
    public boolean isJacoco() {
      String name = jar.substring(jar.lastIndexOf('/') + 1);
      return name.contains("jacoco") && name.endsWith(".jar");
    }

    /** Its arguments, split at the commas (JaCoCo's {@code destfile=...,append=true}). */
    public List<String> argumentList() {
      return arguments.isEmpty() ? List.of() : List.of(arguments.split(","));
    }
  }

  /** The Java agent {@code option} loads, if it is a {@code -javaagent:} option. */
  public static Optional<JavaAgent> javaAgent(String option) {
    if (!option.startsWith("-javaagent:")) {
      return Optional.empty();
    }
    String agent = option.substring("-javaagent:".length());
    int equals = agent.indexOf('=');
    return Optional.of(equals < 0 ? new JavaAgent(agent, "")
        : new JavaAgent(agent.substring(0, equals), agent.substring(equals + 1)));
  }

  /** The VM flag {@code option} sets, if it is a {@code -XX:} option. */
  static Optional<String> flag(String option) {
    if (!option.startsWith("-XX:") || option.length() == 4) {
      return Optional.empty();
    }
    String setting = option.substring(4);
    int equals = setting.indexOf('=');
    String name = equals < 0 ? setting : setting.substring(0, equals);
    return Optional.of(name.startsWith("+") || name.startsWith("-") ? name.substring(1) : name);
  }

  /** Whether one of {@code options} sets the system property {@code name}. */
  static boolean setsProperty(List<String> options, String name) {
    return options.stream().anyMatch(option -> property(option).filter(name::equals).isPresent());
  }

  /** Whether one of {@code options} sets the VM flag {@code name}, either way. */
  static boolean setsFlag(List<String> options, String name) {
    return options.stream().anyMatch(option -> flag(option).filter(name::equals).isPresent());
  }
}
