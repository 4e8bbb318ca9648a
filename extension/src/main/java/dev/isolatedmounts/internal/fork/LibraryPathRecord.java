package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Where JNA found the system's libraries ({@code jna.platform.library.path}), as a child told it,
 * kept in the cache directory for later runs. It holds while the system's library cache, which
 * {@code ldconfig -p} answers from, is the same file: installing a library rewrites it. Without
 * that cache there is no record.
 */
final class LibraryPathRecord {

  static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");

  private LibraryPathRecord() {}

  /** The record's file, in the directory of JNA's native library that the children share. */
  static Path file(Path jnaDirectory) {
    return jnaDirectory.resolve("platform-library-path.txt");
  }

  /** What was recorded, if the system's library cache is the same as then. */
  static Optional<String> read(Path file) {
    return read(file, LD_SO_CACHE);
  }

  static Optional<String> read(Path file, Path ldSoCache) {
    Optional<String> stamp = stamp(ldSoCache);
    if (stamp.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.size() == 2 && lines.get(0).equals(stamp.get()) && !lines.get(1).isBlank()
          ? Optional.of(lines.get(1)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // none yet, or unreadable: the next child tells it again
    }
  }

  /** Records {@code path}, replacing the record at once; a failure leaves it to a later run. */
  static void write(Path file, String path) {
    write(file, path, LD_SO_CACHE);
  }

  static void write(Path file, String path, Path ldSoCache) {
    Optional<String> stamp = stamp(ldSoCache);
    if (stamp.isEmpty() || path.isBlank() || path.contains("\n")) {
      return;
    }
    try {
      AtomicFile.write(file, (stamp.get() + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      // not recorded: the first child of a later run tells it again
    }
  }

  /** The cache file's identity and state: inode, size and both times. */
  private static Optional<String> stamp(Path ldSoCache) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(ldSoCache, BasicFileAttributes.class);
      return Optional.of("ld.so.cache " + attributes.fileKey() + " " + attributes.size() + " "
          + attributes.lastModifiedTime().toMillis() + " "
          + Files.getAttribute(ldSoCache, "unix:ctime"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
