package dev.isolatedmounts.internal.fork;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Ties a child's whole process tree to this JVM's life, whatever state the child JVM is in.
 *
 * <p>The child JVM notices its parent's death when its socket ends, but a stopped or wedged JVM
 * notices nothing. So {@code unshare} is started under util-linux {@code setpriv --pdeathsig
 * KILL}: when this JVM dies, the kernel kills {@code unshare}, whose {@code --kill-child} ends the
 * namespace's init, and with it every process in the namespace. The signal follows the thread
 * that started the process, which is why {@link Spawner} starts children from one thread that
 * lives as long as this JVM. Where {@code setpriv} is missing or too old, the prefix is empty and
 * only the socket guards.
 */
final class ParentDeath {

  private static final List<String> PREFIX = find();

  private ParentDeath() {}

  /** The command words to put in front of {@code unshare}; empty when unavailable. */
  static List<String> prefix() {
    return PREFIX;
  }

  private static List<String> find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String directory : (path + ":/usr/bin:/bin").split(File.pathSeparator)) {
      Path setpriv = Path.of(directory.isEmpty() ? "." : directory, "setpriv");
      if (Files.isExecutable(setpriv) && supportsParentDeathSignal(setpriv)) {
        return List.of(setpriv.toString(), "--pdeathsig", "KILL");
      }
    }
    return List.of();
  }

  private static boolean supportsParentDeathSignal(Path setpriv) {
    NamespaceProbe.Run help = NamespaceProbe.run(List.of(setpriv.toString(), "--help"));
    return help.exitCode() == 0 && help.output().contains("--pdeathsig");
  }
}
