package dev.isolatedmounts.internal.fork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The system properties that spare every child JVM JNA's own start-up work, which it would
 * otherwise repeat identically: unpacking its native library, and asking {@code /sbin/ldconfig -p}
 * where the system's libraries are (a process of its own, about 15 ms of a child's CPU).
 *
 * <p>This JVM does not load JNA's native library (on JDK 24 and later that warns in every test
 * run, and a later JDK will refuse it), so it cannot ask JNA itself. A child tells what JNA found
 * when it connects ({@link #learn}); the children after it are given that, and so are those of
 * later runs, from a {@link LibraryPathRecord} in the cache directory.
 */
final class JnaOptions {

  static final String BOOT_LIBRARY_PATH = "jna.boot.library.path";
  static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

  /** What a child of this JVM told, or a record said: the same host, so the same for all. */
  private static volatile String learned;
  /** The records this JVM read or wrote, by file, and the path each holds. */
  private static final ConcurrentMap<Path, String> RECORDS = new ConcurrentHashMap<>();

  private JnaOptions() {}

  /** The options to add after {@code userOptions}; none that the user set already. */
  static List<String> forChild(Optional<Path> cacheDirectory, List<String> userOptions) {
    // Set when JNA has loaded in this JVM for the tests' own use: then it is known here.
    return forChild(cacheDirectory, userOptions, Optional.ofNullable(
        System.getProperty(PLATFORM_LIBRARY_PATH)).filter(path -> !path.isBlank()));
  }

  static List<String> forChild(Optional<Path> cacheDirectory, List<String> userOptions,
      Optional<String> known) {
    List<String> options = new ArrayList<>();
    if (!JvmOption.setsProperty(userOptions, BOOT_LIBRARY_PATH)) {
      cacheDirectory.flatMap(JnaNativeLibrary::directory).ifPresent(directory ->
          options.add("-D" + BOOT_LIBRARY_PATH + "=" + directory));
    }
    if (!JvmOption.setsProperty(userOptions, PLATFORM_LIBRARY_PATH)) {
      known.or(() -> Optional.ofNullable(learned)).or(() -> record(cacheDirectory)
              .flatMap(file -> LibraryPathRecord.read(file).map(path -> {
                RECORDS.put(file, path);
                return path;
              })))
          .ifPresent(path -> {
            learned = path;
            options.add("-D" + PLATFORM_LIBRARY_PATH + "=" + path);
          });
    }
    return options;
  }

  /**
   * What a child said JNA found in it, as it connected: given to the children after it, and
   * recorded for later runs where no record of this JVM's holds it. A path the user chose for a
   * child is not the host's.
   */
  static void learn(Optional<Path> cacheDirectory, List<String> userOptions, String path) {
    if (path.isBlank() || JvmOption.setsProperty(userOptions, PLATFORM_LIBRARY_PATH)) {
      return;
    }
    learned = path;
    record(cacheDirectory).filter(file -> !path.equals(RECORDS.put(file, path)))
        .ifPresent(file -> LibraryPathRecord.write(file, path));
  }

  private static Optional<Path> record(Optional<Path> cacheDirectory) {
    return cacheDirectory.flatMap(JnaNativeLibrary::directory).map(LibraryPathRecord::file);
  }

  /** Forgets what was learned: tests start from a JVM that knows nothing. */
  static void forget() {
    learned = null;
    RECORDS.clear();
  }
}
