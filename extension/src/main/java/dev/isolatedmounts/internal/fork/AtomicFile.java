package dev.isolatedmounts.internal.fork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file of the cache directory whole or not at all: JVMs that share the directory read it
 * while others may be writing it, and one killed mid-write must not leave half a file in place.
 */
final class AtomicFile {

  private AtomicFile() {}

  /**
   * Writes {@code content} beside {@code file}, then moves it into place; no partial is left. The
   * partial is named "FILE.RANDOM.PID.tmp": one that a JVM killed mid-write left is removed as
   * the cache's orphans are (see {@link ArchiveCache#trainerPid}).
   */
  static void write(Path file, byte[] content) throws IOException {
    Path partial = Files.createTempFile(file.getParent(), file.getFileName() + ".",
        "." + ProcessHandle.current().pid() + ".tmp");
    try {
      // Readable by all, as the archives beside it are: a temporary file is its owner's alone,
      // and another user sharing the cache could not read what it says of them.
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      Files.write(partial, content);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try {
        Files.deleteIfExists(partial); // moved away already, unless something failed
      } catch (IOException e) {
        // a partial file beside the real one, which the next write replaces
      }
    }
  }
}
