package dev.isolatedmounts.internal.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/self/status} says of this process: its user ids, read there rather than
 * asked of libc, and its seccomp mode. The parent JVM needs them, and JNA's native library loaded
 * there would make JDK 24 and later warn about a restricted method in every test run, and fail
 * once the JDK refuses native access by default; children are started with native access enabled.
 */
public final class ProcessStatus {

  private ProcessStatus() {}

  /** The effective user id (0 for root), or -1 where there is no {@code /proc} (not Linux). */
  public static int effectiveUid() {
    try {
      return read().flatMap(ProcessStatus::effectiveUid).orElse(-1);
    } catch (RuntimeException e) {
      return -1; // a line of another shape: not a kernel we know
    }
  }

  /** The {@code Seccomp:} field: 0 for none, 1 for strict, 2 for a filter. */
  public static Optional<String> seccompMode() {
    return read().flatMap(status -> field(status, "Seccomp"));
  }

  /** From the text of a {@code /proc/PID/status}: "Uid:" lists real, effective, saved and fs. */
  static Optional<Integer> effectiveUid(String status) {
    return field(status, "Uid").map(ids -> Integer.parseInt(ids.split("\\s+")[1]));
  }

  static Optional<String> field(String status, String name) {
    String prefix = name + ":";
    for (String line : status.split("\n")) {
      if (line.startsWith(prefix)) {
        return Optional.of(line.substring(prefix.length()).trim());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> read() {
    try {
      // Latin-1: the Name: line is cut at 15 bytes, which may split a UTF-8 character.
      return Optional.of(Files.readString(Path.of("/proc/self/status"),
          StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
