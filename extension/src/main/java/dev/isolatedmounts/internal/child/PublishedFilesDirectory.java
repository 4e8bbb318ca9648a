package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;

import dev.isolatedmounts.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where, under a read-only root, the files a test publishes ({@code TestReporter.publishFile}) go:
 * a directory in the child's own directory on the host, kept writable, from which the parent
 * copies them to its output directory. JUnit's usual one ({@code target/} under Maven) stays
 * read-only with the rest, as the read-only root promises.
 */
final class PublishedFilesDirectory {

  static final String OUTPUT_DIR = "junit.platform.reporting.output.dir";

  private PublishedFilesDirectory() {}

  /** Makes the directory in {@code staging}, a writable mount of its own; returns it. */
  static Path prepare(Path staging) throws IOException {
    Path directory = Files.createDirectories(staging.resolve("published"));
    Syscalls.mount(directory.toString(), directory.toString(), null, MS_BIND, null);
    return directory;
  }

  /** The test's configuration parameters, with the launcher's output directory there. */
  static Map<String, String> configuration(Map<String, String> configuration, Path directory) {
    Map<String, String> changed = new LinkedHashMap<>(configuration);
    changed.put(OUTPUT_DIR, directory.toString());
    return changed;
  }
}
