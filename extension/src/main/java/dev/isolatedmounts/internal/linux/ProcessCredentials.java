package dev.isolatedmounts.internal.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's user ids, read from {@code /proc/self/status} rather than asked of libc. The
 * parent JVM needs them, and JNA's native library loaded there would make JDK 24 and later warn
 * about a restricted method in every test run, and fail once the JDK refuses native access by
 * default; children are started with native access enabled.
 */
public final class ProcessCredentials {

  private ProcessCredentials() {}

  /** The effective user id (0 for root), or -1 where there is no {@code /proc} (not Linux). */
  public static int effectiveUid() {
    try {
      // Latin-1: the Name: line is cut at 15 bytes, which may split a UTF-8 character.
      return effectiveUid(Files.readString(Path.of("/proc/self/status"),
          StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** From the text of a {@code /proc/PID/status}: "Uid:" lists real, effective, saved and fs. */
  static int effectiveUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring("Uid:".length()).trim().split("\\s+");
        return Integer.parseInt(ids[1]);
      }
    }
    throw new IllegalArgumentException("no Uid: line in " + status);
  }
}
