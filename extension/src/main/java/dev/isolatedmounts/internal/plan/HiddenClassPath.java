package dev.isolatedmounts.internal.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a mount of a test's plan that would hide the child's own class path: a {@code @Tmpfs} or
 * {@code @Bind} over the project (a {@code @Tmpfs("/tmp")} where the build runs below
 * {@code /tmp}, a {@code @Tmpfs} over the local Maven repository). The child loads the test's
 * classes after its mounts, so it would not find them, and JUnit would say only that the test's
 * id "could not be resolved". The same for the JDK it runs on ({@code @Tmpfs("/usr")}). An
 * {@code @Overlay} shows the host's files, and a bind of a directory onto itself shows them too.
 */
public final class HiddenClassPath {

  private HiddenClassPath() {}

  /**
   * The existing entries of {@code classPath}, each with its real path: looked up once per run,
   * since every isolated test is checked against them.
   */
  public static Map<String, Path> realPaths(List<String> classPath) {
    Map<String, Path> real = new LinkedHashMap<>();
    for (String entry : classPath) {
      Path path = Path.of(entry);
      if (path.isAbsolute() && Files.exists(path)) {
        real.put(entry, PlanReader.resolved(entry));
      }
    }
    // The child's JDK, which it loads libraries and classes from after its mounts too.
    String javaHome = System.getProperty("java.home");
    if (javaHome != null && Files.exists(Path.of(javaHome))) {
      real.putIfAbsent(javaHome, PlanReader.resolved(javaHome));
    }
    return real;
  }

  /**
   * What is wrong, if a mount of {@code plan} hides an entry of the class path, given as
   * {@link #realPaths} gives it.
   */
  public static Optional<String> of(MountPlan plan, Map<String, Path> classPath) {
    List<Path> targets = new ArrayList<>();
    for (MountSpec mount : plan.mounts()) {
      targets.add(PlanReader.resolved(mount.target()));
    }
    for (Map.Entry<String, Path> entry : classPath.entrySet()) {
      Path real = entry.getValue();
      int last = -1;
      for (int i = 0; i < targets.size(); i++) { // parents first: the last covering it shows
        if (real.startsWith(targets.get(i))) {
          last = i;
        }
      }
      if (last >= 0 && hides(plan.mounts().get(last), targets.get(last), real)) {
        MountSpec mount = plan.mounts().get(last);
        boolean jdk = entry.getKey().equals(System.getProperty("java.home"));
        return Optional.of(mount.describe() + " would hide " + entry.getKey() + (jdk
            ? ", the JDK the child JVM runs on (java.home): the child loads classes and libraries"
                + " from it after its mounts, and would not find them. Choose"
            : ", which is on the child JVM's class path: the child loads the test's classes after"
                + " its mounts, and would not find them. Choose")
            + " a target that does not contain " + entry.getKey()
            + " (a directory below " + mount.target() + ", say), or "
            + (jdk ? "run the tests on a JDK outside " : "keep the project and its dependencies"
                + " outside ") + mount.target());
      }
    }
    return Optional.empty();
  }

  private static boolean hides(MountSpec mount, Path target, Path entry) {
    if (mount instanceof OverlaySpec) {
      return false;
    }
    if (mount instanceof BindSpec bind) {
      return !PlanReader.resolved(bind.source()).resolve(target.relativize(entry)).equals(entry);
    }
    return true;
  }
}
