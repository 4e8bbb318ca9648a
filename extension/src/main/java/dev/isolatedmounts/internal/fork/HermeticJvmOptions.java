package dev.isolatedmounts.internal.fork;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The child JVM options that the hermetic settings of a plan need, after the inherited ones. */
final class HermeticJvmOptions {

  private HermeticJvmOptions() {}

  /**
   * @param readOnlyRoot whether the plan makes the root read-only
   * @param trapExit whether the plan traps {@code System.exit}
   * @param socketDirectory the child's private directory, which holds the {@code tmp} directory
   *     a read-only root's private tmpfs is mounted on
   */
  static List<String> of(boolean readOnlyRoot, boolean trapExit, Path socketDirectory) {
    List<String> options = new ArrayList<>();
    if (readOnlyRoot) {
      // The JDK reads java.io.tmpdir once, at start-up: the child mounts its private tmpfs here.
      options.add("-Djava.io.tmpdir=" + socketDirectory.resolve("tmp"));
      // The JVM keeps its performance-data file (hsperfdata, in /tmp) mapped for writing, and
      // the kernel refuses (EBUSY) to make a mount read-only while a file on it is open for
      // writing. Only tools such as jcmd miss it.
      options.add("-XX:-UsePerfData");
    }
    if (trapExit) {
      options.add(exitTrap());
    }
    return options;
  }

  /**
   * The Byte Buddy agent jar as a {@code -javaagent}: instrumentation from the start costs less
   * than attaching to itself later, and JDK 21+ warns about agents loaded at run time. Where the
   * agent is not a jar (an IDE's exploded class path), self-attach is allowed instead.
   */
  static String exitTrap() {
    try {
      Path location = Path.of(net.bytebuddy.agent.Installer.class.getProtectionDomain()
          .getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(location)) {
        return "-javaagent:" + location;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to self-attach
    }
    return "-Djdk.attach.allowAttachSelf=true";
  }
}
