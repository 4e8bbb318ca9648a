package dev.isolatedmounts.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the host looks like where the fixtures mount: its mount table, and the directories whose
 * entries the fixtures' absent targets would add to.
 *
 * @param mountinfo the text of /proc/self/mountinfo
 * @param listings the sorted entries of the watched directories
 */
record HostState(String mountinfo, List<String> listings) {

  private static final List<String> WATCHED = List.of("/", "/var/lib", "/etc", "/opt", "/tmp");
  /** Child directories of this JVM: other builds on the host may have theirs in /tmp too. */
  private static final String OWN_TEMP = "/tmp/isolated-mounts-" + ProcessHandle.current().pid()
      + "-";
  private static HostState recorded;

  static synchronized void record() {
    if (recorded == null) {
      recorded = now();
    }
  }

  static synchronized HostState recorded() {
    return recorded;
  }

  static HostState now() {
    try {
      List<String> listings = new ArrayList<>();
      for (String directory : WATCHED) {
        try (Stream<Path> entries = Files.list(Path.of(directory))) {
          entries.map(Path::toString)
              .filter(name -> !name.startsWith("/tmp/") || name.startsWith(OWN_TEMP))
              .sorted().forEach(listings::add);
        }
      }
      return new HostState(Files.readString(Path.of("/proc/self/mountinfo")), listings);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the host's state", e);
    }
  }
}
