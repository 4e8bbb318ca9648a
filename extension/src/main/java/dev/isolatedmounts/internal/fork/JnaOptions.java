package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.linux.LibraryPathRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The system properties that spare every child JVM JNA's own start-up work, which it would
 * otherwise repeat identically: unpacking its native library, and asking {@code /sbin/ldconfig -p}
 * where the system's libraries are (a process of its own, about 15 ms of a child's CPU). The
 * first child asks and records the answer in the cache directory (see
 * {@link LibraryPathRecord}); the children after it are told.
 */
final class JnaOptions {

  static final String BOOT_LIBRARY_PATH = "jna.boot.library.path";
  static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

  /** Records read, per file: once one is there, it holds for the rest of this JVM's run. */
  private static final ConcurrentMap<Path, String> RECORDED = new ConcurrentHashMap<>();

  private JnaOptions() {}

  /** The options to add after {@code userOptions}; none that the user set already. */
  static List<String> forChild(Optional<Path> cacheDirectory, List<String> userOptions) {
    // Set when JNA has loaded in this JVM, for the tests' own use of it: then it is known here.
    return forChild(cacheDirectory, userOptions, Optional.ofNullable(
        System.getProperty(PLATFORM_LIBRARY_PATH)).filter(path -> !path.isBlank()));
  }

  static List<String> forChild(Optional<Path> cacheDirectory, List<String> userOptions,
      Optional<String> known) {
    List<String> options = new ArrayList<>();
    Optional<Path> jnaDirectory = cacheDirectory.flatMap(JnaNativeLibrary::directory);
    if (!JvmOption.setsProperty(userOptions, BOOT_LIBRARY_PATH)) {
      jnaDirectory.ifPresent(directory -> options.add("-D" + BOOT_LIBRARY_PATH + "=" + directory));
    }
    if (!JvmOption.setsProperty(userOptions, PLATFORM_LIBRARY_PATH)) {
      Optional<Path> record = jnaDirectory.map(LibraryPathRecord::file);
      Optional<String> path = known.or(() -> record.flatMap(JnaOptions::recorded));
      if (path.isPresent()) {
        options.add("-D" + PLATFORM_LIBRARY_PATH + "=" + path.get());
      } else {
        record.ifPresent(file -> options.add("-D" + LibraryPathRecord.PROPERTY + "=" + file));
      }
    }
    return options;
  }

  private static Optional<String> recorded(Path file) {
    String path = RECORDED.get(file);
    if (path != null) {
      return Optional.of(path);
    }
    Optional<String> read = LibraryPathRecord.read(file);
    read.ifPresent(found -> RECORDED.put(file, found));
    return read;
  }
}
