package dev.isolatedmounts.internal.plan;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Validates and normalizes the paths users write in mount annotations. */
final class PathRules {

  private PathRules() {}

  /**
   * Returns the normalized absolute mount target, or throws naming the annotation, attribute,
   * value and fix.
   */
  static String target(String annotation, String attribute, String value, String where) {
    String problem = commonProblem(value);
    if (problem == null && !value.startsWith("/")) {
      problem = "must be an absolute path, but was \"" + value + "\"; write \"/" + value + "\"";
    }
    if (problem == null && normalize(value).equals("/")) {
      problem = "must not be \"/\": a mount over the root directory would hide the whole file"
          + " system, including the JDK and the class path; mount a directory below it instead,"
          + " for example \"/var/lib/app\"";
    }
    if (problem == null && KERNEL_DIRECTORIES.contains(normalize(value))) {
      problem = "must not be \"" + normalize(value) + "\": the child JVM and the isolation's own"
          + " checks need the kernel's " + normalize(value) + " (/proc/self/mountinfo, /dev/null,"
          + " /dev/urandom); mount below it instead, as "
          + (normalize(value).equals("/proc") ? "@Bind onto /proc/cpuinfo" : "@Tmpfs(\"/dev/shm\")");
    }
    if (problem != null) {
      throw invalid(annotation, attribute, value, where, problem);
    }
    return normalize(value);
  }

  /** Whole directories of the kernel's that the child JVM itself needs. */
  private static final java.util.Set<String> KERNEL_DIRECTORIES = java.util.Set.of("/proc", "/dev");

  /** Returns the normalized host path of a bind source, resolved against the working directory. */
  static String source(String annotation, String attribute, String value, String where) {
    String problem = commonProblem(value);
    if (problem != null) {
      throw invalid(annotation, attribute, value, where, problem);
    }
    return Path.of(value).toAbsolutePath().normalize().toString();
  }

  static ExtensionConfigurationException invalid(
      String annotation, String attribute, String value, String where, String problem) {
    return new ExtensionConfigurationException(
        annotation + " on " + where + ": " + attribute + " " + problem);
  }

  private static String commonProblem(String value) {
    if (value.isBlank()) {
      return "must not be empty; give a path such as \"/var/lib/app\"";
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      return "must not contain control characters, but was \"" + value.replace("\n", "\\n") + "\"";
    }
    for (String segment : value.split("/")) {
      if (segment.equals("..")) {
        return "must not contain \"..\", but was \"" + value + "\"; write the path it means"
            + " without \"..\"" + (value.startsWith("/") ? ", for example \""
            + Path.of(value).normalize() + "\"" : ", as an absolute path");
      }
    }
    return null;
  }

  private static String normalize(String absolute) {
    return Path.of(absolute).normalize().toString();
  }
}
