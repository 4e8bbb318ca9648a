package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;

import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps what a failed test left in its tmpfs mounts and overlay upper layers: copies them into the
 * host directory the parent chose ({@code target/isolated-mounts/<test>/}) before the namespace
 * dies with the child.
 *
 * <p>That directory is bind-mounted onto the child's private staging directory before any other
 * mount, and reached through an {@code O_PATH} descriptor afterwards: the test's own mounts, and
 * a read-only root, would otherwise hide it or refuse the writes. Each mount goes to
 * {@code tmpfs/<target>} or {@code overlay/<target>}; an overlay's deletions (whiteouts, which
 * are device nodes) are listed in {@code overlay/<target>.deleted} instead of copied, and its
 * directories deleted and made again (opaque, an extended attribute) in {@code
 * overlay/<target>.opaque}. An index, {@code kept.txt}, says what came from where.
 */
final class KeptMounts {

  /** The file type bits of a mode, and a character device's. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  /** The attributes overlayfs marks a directory opaque with: as root, and with userxattr. */
  private static final List<String> OPAQUE = List.of("trusted.overlay.opaque",
      "user.overlay.opaque");

  /** The system property naming the host directory to keep into; set by the parent. */
  static final String PROPERTY = "isolatedmounts.child.keepOnFailure";

  private final Path staging;
  private int fd = -1;

  /** @param staging the child's empty directory to bind the host directory onto */
  KeptMounts(Path staging) {
    this.staging = staging;
  }

  /** Binds the host directory onto the staging directory; call before any other mount. */
  void prepare(String hostDirectory) throws IOException {
    Syscalls.mount(hostDirectory, staging.toString(), null, MS_BIND, null);
    fd = Syscalls.openPath(staging.toString());
  }

  /** The staging directory, which must stay writable. */
  Path staging() {
    return staging;
  }

  /**
   * Copies the tmpfs mounts and overlay upper layers; a file that cannot be copied is named in the
   * index rather than failing the report of the test's own failure.
   */
  void keep(Map<MountSpec, Path> mounted, Map<OverlaySpec, Path> upperDirs) throws IOException {
    if (fd < 0) {
      return;
    }
    Path into = Path.of("/proc/self/fd/" + fd);
    List<String> index = new ArrayList<>();
    for (Map.Entry<MountSpec, Path> mount : mounted.entrySet()) {
      if (mount.getKey() instanceof TmpfsSpec tmpfs) {
        Path copy = into.resolve("tmpfs" + tmpfs.target());
        index.add(tmpfs.describe() + " -> tmpfs" + tmpfs.target());
        copyTree(mount.getValue(), copy, null, index);
      }
    }
    for (Map.Entry<OverlaySpec, Path> overlay : upperDirs.entrySet()) {
      String name = "overlay" + overlay.getKey().target();
      index.add(overlay.getKey().describe() + " (changed and new files) -> " + name);
      List<String> deleted = new ArrayList<>();
      List<String> opaque = new ArrayList<>();
      copyTree(overlay.getValue(), into.resolve(name), new Deletions(deleted, opaque), index);
      if (!deleted.isEmpty()) {
        Files.createDirectories(into.resolve(name).getParent());
        Files.write(into.resolve(name + ".deleted"), deleted);
        index.add(overlay.getKey().describe() + " (deleted files) -> " + name + ".deleted");
      }
      if (!opaque.isEmpty()) {
        Files.write(into.resolve(name + ".opaque"), opaque);
        index.add(overlay.getKey().describe() + " (directories deleted and made again, which"
            + " hide the host's entries) -> " + name + ".opaque");
      }
    }
    Files.write(into.resolve("kept.txt"), index);
  }

  /**
   * Whether {@code file}, in an overlay's upper layer, marks a deletion: a character device 0/0.
   * A FIFO or socket the test made is none (and, like a device, not kept).
   */
  private static boolean whiteout(Path file, BasicFileAttributes attributes) throws IOException {
    if (!attributes.isOther()) {
      return false;
    }
    int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    long device = (Long) Files.getAttribute(file, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    return (mode & S_IFMT) == S_IFCHR && device == 0;
  }

  /**
   * Copies the file system at {@code from}, and only that one: a mount below it is another's. A
   * declared tmpfs below is kept on its own; a bind below is not the test's to keep (a host
   * directory, gigabytes maybe); and under a read-only root, a {@code @Tmpfs("/tmp")} has the
   * child's own directory bound back into it, which holds the very directory kept into: copying
   * that went round until the path was too long.
   */
  /**
   * What an overlay's upper layer records beyond its files: deletions, and directories deleted and
   * made again, which overlayfs marks opaque ({@code trusted.overlay.opaque}, or {@code
   * user.overlay.opaque} with {@code userxattr}), so that the lower layer's entries stay hidden.
   */
  private record Deletions(List<String> deleted, List<String> opaque) {}

  private static boolean opaque(Path directory) {
    return OPAQUE.stream().anyMatch(name -> Syscalls.extendedAttribute(directory.toString(), name)
        .filter("y"::equals).isPresent());
  }

  private static void copyTree(Path from, Path to, Deletions deletions, List<String> problems)
      throws IOException {
    Files.createDirectories(to);
    Object device = AbsentTargets.device(from);
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
          throws IOException {
        if (!dir.equals(from) && !device.equals(AbsentTargets.device(dir))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        if (deletions != null && !dir.equals(from) && opaque(dir)) {
          deletions.opaque().add(from.relativize(dir).toString());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        String relative = from.relativize(file).toString();
        try {
          if (deletions != null && whiteout(file, attributes)) {
            deletions.deleted().add(relative);
          } else if (attributes.isRegularFile() || attributes.isSymbolicLink()) {
            Files.copy(file, to.resolve(relative), StandardCopyOption.REPLACE_EXISTING,
                LinkOption.NOFOLLOW_LINKS);
          }
        } catch (IOException e) {
          problems.add("not kept: " + file + ": " + e);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        problems.add("not kept: " + file + ": " + e);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
