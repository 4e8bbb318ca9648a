package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODEV;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSUID;

import dev.isolatedmounts.internal.fork.HostChecks;
import dev.isolatedmounts.internal.linux.SyscallException;
import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes {@code @Overlay} mounts: each host directory is mounted over itself as the lower layer of
 * an overlay whose upper and work directories live on one tmpfs private to the child.
 *
 * <p>That tmpfs is mounted on the staging directory the parent made for it, and from then on
 * reached only through an {@code O_PATH} descriptor ({@code /proc/self/fd/N/...}): a later
 * {@code @Tmpfs} over {@code /tmp} may hide the staging directory's path, and descriptor paths
 * need no escaping of the {@code ,} and {@code :} that overlay options reserve. The lower layer is
 * given the same way, so any directory name works.
 */
final class OverlayLayers {

  private static final int EPERM = 1;
  private static final int EINVAL = 22;

  private final Path staging;
  private final boolean userNamespace;
  private final Map<OverlaySpec, Path> upperDirs = new LinkedHashMap<>();
  private int stagingFd = -1;

  /**
   * @param staging an existing, empty directory the child may mount its tmpfs on
   * @param userNamespace whether the child is in a user namespace (overlay then needs
   *     {@code userxattr}, and Linux 5.11)
   */
  OverlayLayers(Path staging, boolean userNamespace) {
    this.staging = staging;
    this.userNamespace = userNamespace;
  }

  /** Mounts the private tmpfs for the upper layers; call before any mount could hide staging. */
  void prepare() throws IOException {
    if (stagingFd < 0) {
      Syscalls.mount("isolated-mounts", staging.toString(), "tmpfs", MS_NOSUID | MS_NODEV,
          "mode=0700");
      stagingFd = Syscalls.openPath(staging.toString());
    }
  }

  /** Mounts the overlay of {@code spec}; returns its mount point. */
  Path mount(OverlaySpec spec) throws IOException {
    prepare();
    if (!Files.isDirectory(Path.of(spec.target()))) {
      throw new IsolationException("Could not apply " + spec.describe() + ": " + spec.target()
          + " is not a directory any more");
    }
    // mount(2) follows a symbolic link (/lib -> usr/lib): the mount point is where it leads.
    Path target = Path.of(spec.target()).toRealPath();
    int index = upperDirs.size();
    Path layers = Path.of("/proc/self/fd/" + stagingFd);
    Path upper = Files.createDirectory(layers.resolve("upper-" + index));
    Path work = Files.createDirectory(layers.resolve("work-" + index));
    int lowerFd = Syscalls.openPath(target.toString());
    try {
      String options = "lowerdir=/proc/self/fd/" + lowerFd + ",upperdir=" + upper
          + ",workdir=" + work + (userNamespace ? ",userxattr" : "");
      Syscalls.mount("overlay", target.toString(), "overlay", MS_NOSUID | MS_NODEV, options);
    } catch (SyscallException e) {
      throw new IsolationException(explain(spec, e, userNamespace,
          System.getProperty("os.version", "unknown"), fileSystem(target)), e);
    } finally {
      Syscalls.close(lowerFd);
    }
    upperDirs.put(spec, upper);
    return target;
  }

  /** The upper layer of each overlay made, holding what the test changed, created or deleted. */
  Map<OverlaySpec, Path> upperDirs() {
    return upperDirs;
  }

  /**
   * Kernels before 5.11 do not allow overlay in a user namespace at all (EPERM) and do not know
   * {@code userxattr} (EINVAL); newer ones refuse to stack on some file systems: say which case
   * this is, rather than leave the user with a bare errno.
   */
  static String explain(OverlaySpec spec, SyscallException e, boolean userNamespace,
      String kernel, String fileSystem) {
    String message = "Could not apply " + spec.describe() + ": " + e.getMessage();
    if (e.errno() != EPERM && e.errno() != EINVAL) {
      return message;
    }
    if (userNamespace && !HostChecks.overlayInUserNamespace(kernel)) {
      return message + ". An overlay mount in an unprivileged user namespace needs Linux 5.11 or"
          + " newer (this kernel: " + kernel + ") and overlay support in it (module overlay);"
          + " run the tests as root, or copy the files the test needs into a @Tmpfs instead";
    }
    if (e.errno() == EPERM) {
      return message + ". The kernel (" + kernel + ") did not permit it: a security module"
          + " (AppArmor, SELinux) or a setting of the machine may forbid overlay mounts here (the"
          + " kernel's log, dmesg, may say which); copy the files the test needs into a @Tmpfs"
          + " instead";
    }
    return message + ". The kernel (" + kernel + ") refused an overlay of " + spec.target()
        + ", which is on " + fileSystem + ": overlayfs does not stack on every file system (the"
        + " kernel's log, dmesg, says why); @Bind a directory of your own onto it, or copy the"
        + " files the test needs into a @Tmpfs instead";
  }

  /** The type of the file system {@code path} is on, for a message. */
  private static String fileSystem(Path path) {
    try {
      return Files.getFileStore(path).type();
    } catch (IOException | RuntimeException e) {
      return "a file system whose type could not be read";
    }
  }
}
