package dev.isolatedmounts.internal.fork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The system properties that spare every child JVM JNA's own start-up work, which it would
 * otherwise repeat identically: unpacking its native library, and asking {@code /sbin/ldconfig -p}
 * where the system's libraries are (a process of its own, about 15 ms of a child's CPU). This JVM
 * asked already, as JNA does in every JVM on Linux, and the children run on the same host.
 */
final class JnaOptions {

  static final String BOOT_LIBRARY_PATH = "jna.boot.library.path";
  static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

  private JnaOptions() {}

  /** The options to add after {@code userOptions}; none that the user set already. */
  static List<String> forChild(Optional<Path> cacheDirectory, List<String> userOptions) {
    List<String> options = new ArrayList<>();
    if (!JvmOption.setsProperty(userOptions, BOOT_LIBRARY_PATH)) {
      cacheDirectory.flatMap(JnaNativeLibrary::directory).ifPresent(directory ->
          options.add("-D" + BOOT_LIBRARY_PATH + "=" + directory));
    }
    if (!JvmOption.setsProperty(userOptions, PLATFORM_LIBRARY_PATH)) {
      platformLibraryPath().ifPresent(path ->
          options.add("-D" + PLATFORM_LIBRARY_PATH + "=" + path));
    }
    return options;
  }

  /** What JNA found (or was told) in this JVM; it sets the property when it first loads. */
  static Optional<String> platformLibraryPath() {
    try {
      Class.forName("com.sun.jna.NativeLibrary", true, JnaOptions.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty(); // the child finds its own, as without this
    }
    return Optional.ofNullable(System.getProperty(PLATFORM_LIBRARY_PATH))
        .filter(path -> !path.isBlank());
  }
}
