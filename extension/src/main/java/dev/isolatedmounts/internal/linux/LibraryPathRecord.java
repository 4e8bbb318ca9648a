package dev.isolatedmounts.internal.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Where JNA found the system's libraries ({@code jna.platform.library.path}), recorded by one
 * child for the children after it. JNA works it out in every JVM it loads in, from
 * {@code /sbin/ldconfig -p}: a process of its own, about 15 ms of a child's CPU. The parent JVM
 * does not load JNA's native library (see {@link ProcessCredentials}), so it cannot ask JNA
 * itself; a child can. The record holds until the system's library cache changes.
 */
public final class LibraryPathRecord {

  /** The system property naming the file a child is asked to record the path in. */
  public static final String PROPERTY = "isolatedmounts.child.jnaPlatformPathRecord";

  static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";
  private static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");

  private LibraryPathRecord() {}

  /** The record's file, in the directory of JNA's native library that the children share. */
  public static Path file(Path jnaDirectory) {
    return jnaDirectory.resolve("platform-library-path.txt");
  }

  /** What a child recorded, if the system's library cache is the same as then. */
  public static Optional<String> read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.size() == 2 && lines.get(0).equals(stamp()) && !lines.get(1).isBlank()
          ? Optional.of(lines.get(1)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // none yet, or unreadable: the next child records it again
    }
  }

  /**
   * In a child, once JNA has loaded: records the path JNA found, if the parent asked. Done before
   * the test's mounts, which could hide the file. A failure only means a later child asks JNA
   * again.
   */
  public static void recordIfAsked() {
    String file = System.getProperty(PROPERTY);
    String path = System.getProperty(PLATFORM_LIBRARY_PATH);
    if (file == null || path == null || path.isBlank() || path.contains("\n")) {
      return;
    }
    try {
      write(Path.of(file), path);
    } catch (IOException | RuntimeException e) {
      // not recorded: the next child is asked again
    }
  }

  /** Replaces the record at once: children that record at the same time write the same path. */
  public static void write(Path file, String path) throws IOException {
    Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(partial, stamp() + "\n" + path + "\n", StandardCharsets.UTF_8);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** What {@code ldconfig -p} answers from: installing a library rewrites it. */
  private static String stamp() {
    try {
      return "ld.so.cache " + Files.size(LD_SO_CACHE) + " "
          + Files.getLastModifiedTime(LD_SO_CACHE).toMillis();
    } catch (IOException e) {
      return "no ld.so.cache";
    }
  }
}
