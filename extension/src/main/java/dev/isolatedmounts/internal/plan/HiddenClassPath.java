package dev.isolatedmounts.internal.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a mount of a test's plan that would hide the child's own class path: a {@code @Tmpfs} or
 * {@code @Bind} over the project (a {@code @Tmpfs("/tmp")} where the build runs below
 * {@code /tmp}, a {@code @Tmpfs} over the local Maven repository). The child loads the test's
 * classes after its mounts, so it would not find them, and JUnit would say only that the test's
 * id "could not be resolved". An {@code @Overlay} shows the host's files, and a bind of a
 * directory onto itself shows them too.
 */
public final class HiddenClassPath {

  private HiddenClassPath() {}

  /** What is wrong, if a mount of {@code plan} hides an entry of {@code classPath}. */
  public static Optional<String> of(MountPlan plan, List<String> classPath) {
    for (String entry : classPath) {
      Path path = Path.of(entry);
      if (!path.isAbsolute() || !Files.exists(path)) {
        continue;
      }
      Path real = PlanReader.resolved(entry);
      MountSpec last = null;
      for (MountSpec mount : plan.mounts()) { // parents first: the last one covering it shows
        if (real.startsWith(PlanReader.resolved(mount.target()))) {
          last = mount;
        }
      }
      if (last != null && hides(last, real)) {
        return Optional.of(last.describe() + " would hide " + entry + ", which is on the child"
            + " JVM's class path: the child loads the test's classes after its mounts, and"
            + " would not find them. Choose a target that does not contain " + entry + " (a"
            + " directory below " + last.target() + ", say), or keep the project and its"
            + " dependencies outside " + last.target());
      }
    }
    return Optional.empty();
  }

  private static boolean hides(MountSpec mount, Path entry) {
    if (mount instanceof OverlaySpec) {
      return false;
    }
    if (mount instanceof BindSpec bind) {
      Path target = PlanReader.resolved(bind.target());
      return !PlanReader.resolved(bind.source()).resolve(target.relativize(entry)).equals(entry);
    }
    return true;
  }
}
