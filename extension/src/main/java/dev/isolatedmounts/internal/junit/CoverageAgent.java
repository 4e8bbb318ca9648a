package dev.isolatedmounts.internal.junit;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

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
    if (!option.startsWith("-javaagent:")) {
      return option;
    }
    String agent = option.substring("-javaagent:".length());
    int equals = agent.indexOf('=');
    String jar = equals < 0 ? agent : agent.substring(0, equals);
    try {
      Path file = Path.of(jar).getFileName();
      if (file == null || !file.toString().contains("jacoco")
          || !file.toString().endsWith(".jar")) {
        return option;
      }
    } catch (InvalidPathException e) {
      return option;
    }
    String arguments = equals < 0 ? "" : agent.substring(equals + 1);
    for (String argument : arguments.split(",")) {
      if (argument.startsWith("includes=") || argument.startsWith("excludes=")) {
        return option;
      }
    }
    return option + (equals < 0 ? "=" : arguments.isEmpty() ? "" : ",") + "excludes=" + EXCLUDES;
  }
}
