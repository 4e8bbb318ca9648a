package dev.isolatedmounts.internal.plan;

import java.nio.charset.StandardCharsets;
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
    if (problem == null) {
      problem = dotDot(value);
    }
    String normalized = problem == null ? normalize("/" + value) : null;
    if (problem == null && !value.startsWith("/")) {
      problem = "must be an absolute path, but was \"" + value + "\"; " + absolute(value,
          normalized);
    }
    if (problem == null && normalized.equals("/")) {
      problem = "must not be \"/\": a mount over the root directory would hide the whole file"
          + " system, including the JDK and the class path; mount a directory below it instead,"
          + " for example \"/var/lib/app\"";
    }
    if (problem == null && KERNEL_DIRECTORIES.contains(normalized)) {
      problem = "must not be \"" + normalized + "\": the child JVM and the isolation's own"
          + " checks need the kernel's " + normalized + (normalized.equals("/proc")
              ? " (/proc/self/mountinfo, /proc/self/fd)" : " (/dev/null, /dev/urandom)")
          + "; mount below it instead, as "
          + (normalized.equals("/proc") ? "@Bind onto /proc/cpuinfo" : "@Tmpfs(\"/dev/shm\")");
    }
    if (problem != null) {
      throw invalid(annotation, attribute, value, where, problem);
    }
    return normalized;
  }

  /**
   * How to write {@code value} as an absolute path: with a "/" in front where that is what was
   * meant, not where the value was written for a shell or for Windows.
   */
  private static String absolute(String value, String normalized) {
    if (value.startsWith("~")) {
      return "\"~\" is not expanded here, as a shell would: write the whole path, such as"
          + " \"/var/lib/app\"";
    }
    if (value.startsWith("$") || value.contains("${")) {
      return "variables such as ${HOME} are not expanded here: write the whole path, such as"
          + " \"/var/lib/app\"";
    }
    if (value.contains("\\") || value.matches("[A-Za-z]:.*")) {
      return "it reads as a Windows path: write a Linux one, such as \"/var/lib/app\"";
    }
    return normalized.equals("/") ? "write one such as \"/var/lib/app\""
        : "write \"" + normalized + "\"";
  }

  /** Whole directories of the kernel's that the child JVM itself needs. */
  private static final java.util.Set<String> KERNEL_DIRECTORIES = java.util.Set.of("/proc", "/dev");

  /**
   * Returns the normalized host path of a bind source, resolved against the working directory.
   * A source may go up ({@code ../fixtures}, shared by the modules of a build): it is a host path,
   * and its ".." is resolved as the kernel would, after links, where it exists.
   */
  static String source(String annotation, String attribute, String value, String where) {
    String problem = commonProblem(value);
    if (problem != null) {
      throw invalid(annotation, attribute, value, where, problem);
    }
    Path absolute = Path.of(value).toAbsolutePath();
    if (dotDot(value) != null) {
      try {
        return absolute.toRealPath().toString();
      } catch (java.io.IOException e) {
        // it does not exist: the check of the source says so, with this path
      }
    }
    return absolute.normalize().toString();
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
      return "must not contain control characters, but was \"" + escaped(value) + "\"";
    }
    if (!value.equals(value.strip())) {
      // A name may end in a space, but one written so is a slip far more often than meant.
      return "must not start or end with white space, but was \"" + value + "\"; write \""
          + value.strip() + "\"";
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > PATH_MAX) {
      return "must be at most " + PATH_MAX + " bytes long, as the kernel takes a path, but was "
          + bytes + " bytes long";
    }
    for (String segment : value.split("/")) {
      int nameBytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (nameBytes > NAME_MAX) {
        return "must not have a name longer than " + NAME_MAX + " bytes, as the kernel takes a"
            + " file name, but \"" + segment.substring(0, 16) + "…\" is " + nameBytes
            + " bytes long";
      }
    }
    return null;
  }

  /** A target's "..", which a mount point in the namespace has no business with. */
  private static String dotDot(String value) {
    for (String segment : value.split("/")) {
      if (segment.equals("..")) {
        return "must not contain \"..\", but was \"" + value + "\"; write the path it means"
            + " without \"..\"" + (value.startsWith("/") ? ", for example \""
            + Path.of(value).normalize() + "\"" : ", as an absolute path");
      }
    }
    return null;
  }

  /** Linux's limits on a file name and on a whole path, in bytes (with the path's final NUL). */
  private static final int NAME_MAX = 255;
  private static final int PATH_MAX = 4095;

  /** The value with each control character written out, so the message shows where it is. */
  private static String escaped(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> out.append(Character.isISOControl(c)
            ? "\\u" + "0000".substring(Integer.toHexString(c).length()) + Integer.toHexString(c)
            : String.valueOf(c));
      }
    }
    return out.toString();
  }

  private static String normalize(String absolute) {
    return Path.of(absolute).normalize().toString();
  }
}
