package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.fork.JvmOption;
import java.util.List;
import java.util.Optional;

/**
 * JaCoCo's agent as children inherit it, told to leave the test machinery alone. By default it
 * instruments every class a JVM loads from the class path, JUnit's included: one JVM of a plain
 * run pays that once, but every child paid it again, which took a child's CPU on JDK 17 from
 * 0.72 to 1.2 s and on JDK 25 from 0.31 to 1.2 s (measured: JDK 25's cache of the children's
 * classes gives nothing for a class the agent rewrites). No project's coverage report counts
 * those classes. A user's own {@code includes} or {@code excludes} is left as it is.
 */
final class CoverageAgent {

  static final String EXCLUDES = "org.junit.*:org.opentest4j.*:org.apiguardian.*:org.jspecify.*"
      + ":com.sun.jna.*:net.bytebuddy.*:org.assertj.*:dev.isolatedmounts.internal.*";

  private CoverageAgent() {}

  static List<String> leaner(List<String> options) {
    return options.stream().map(CoverageAgent::leaner).toList();
  }

  static String leaner(String option) {
    Optional<JvmOption.JavaAgent> agent = JvmOption.javaAgent(option);
    if (agent.isEmpty() || !agent.get().isJacoco() || agent.get().argumentList().stream()
        .anyMatch(argument -> argument.startsWith("includes=")
            || argument.startsWith("excludes="))) {
      return option;
    }
    String arguments = agent.get().arguments();
    return option + (!option.contains("=") ? "=" : arguments.isEmpty() ? "" : ",") + "excludes="
        + EXCLUDES;
  }
}
