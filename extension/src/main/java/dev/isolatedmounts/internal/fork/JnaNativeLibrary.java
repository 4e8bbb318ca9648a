package dev.isolatedmounts.internal.fork;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.CRC32;

/**
 * JNA's native library, unpacked once into the cache directory for all children. Otherwise
 * every child would unpack its own copy into the user's home directory, and delete it again.
 */
final class JnaNativeLibrary {

  private static final ConcurrentMap<Path, Optional<Path>> UNPACKED = new ConcurrentHashMap<>();

  private JnaNativeLibrary() {}

  /** The directory to name in {@code jna.boot.library.path}, if the library could be unpacked. */
  static Optional<Path> directory(Path cacheDirectory) {
    return UNPACKED.computeIfAbsent(cacheDirectory, JnaNativeLibrary::unpack);
  }

  private static Optional<Path> unpack(Path cacheDirectory) {
    String name = System.mapLibraryName("jnidispatch");
    // Through the class loader, which has the jar open already; a jar: URL would open it again.
    byte[] bytes;
    try (InputStream in = Native.class.getResourceAsStream(
        "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name)) {
      if (in == null) {
        return Optional.empty(); // a JNA without a bundled library: it will find its own
      }
      bytes = in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // JNA unpacks it itself, as without this
    }
    // Named by the library itself, not by the JNA version this extension was compiled against:
    // a build may bring another, and JNA refuses a library of another version.
    CRC32 crc = new CRC32();
    crc.update(bytes);
    Path directory = cacheDirectory.resolve("jna-" + Platform.RESOURCE_PREFIX + "-"
        + Long.toHexString(crc.getValue()) + "-" + bytes.length);
    Path library = directory.resolve(name);
    if (Files.isRegularFile(library)) {
      try {
        // Used in this run, so not removed as unused (ArchiveCache.removeUnused).
        Files.setLastModifiedTime(directory, FileTime.from(Instant.now()));
      } catch (IOException | RuntimeException e) {
        // removed after a month unused, and unpacked again when next needed
      }
      return Optional.of(directory);
    }
    try {
      Files.createDirectories(directory);
      AtomicFile.write(library, bytes);
      return Optional.of(directory);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // JNA unpacks it itself, as without this
    }
  }
}
