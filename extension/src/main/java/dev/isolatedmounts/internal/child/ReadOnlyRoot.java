package dev.isolatedmounts.internal.child;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODEV;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSUID;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_RDONLY;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REMOUNT;

import dev.isolatedmounts.internal.linux.MountEntry;
import dev.isolatedmounts.internal.linux.MountFlags;
import dev.isolatedmounts.internal.linux.MountTable;
import dev.isolatedmounts.internal.linux.SyscallException;
import dev.isolatedmounts.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code @IsolatedMounts(readOnlyRoot = true)}: every mount the child sees is remounted read-only,
 * except the declared writable mounts and what the JVM and the kernel interfaces need.
 *
 * <p>A bind remount changes one mount only ({@code MS_REC} does not apply to remounts), so each
 * visible mount is remounted by its own mount point, repeating the flags the kernel locked on it
 * (see {@link MountFlags#lockedFlagsOf}). Left writable: {@code /proc} and {@code /sys} (their
 * writable files are the kernel's interface, not storage), {@code /dev/shm}, {@code /dev/pts} and
 * {@code /dev/mqueue}; device nodes such as {@code /dev/null} stay writable on a read-only mount
 * anyway. The JVM's temporary directory is a private tmpfs (see {@link #privateTmpDir}).
 */
final class ReadOnlyRoot {

  static final List<String> LEFT_WRITABLE =
      List.of("/proc", "/sys", "/dev/shm", "/dev/pts", "/dev/mqueue");

  private ReadOnlyRoot() {}

  /**
   * Mounts a tmpfs on {@code directory}, which the child's {@code java.io.tmpdir} names, so
   * temporary files (and JUnit's {@code @TempDir}) keep working.
   */
  static void privateTmpDir(Path directory) throws IOException {
    Syscalls.mount("isolated-mounts", directory.toString(), "tmpfs", MS_NOSUID | MS_NODEV,
        "mode=0700");
  }

  /**
   * Remounts every visible mount read-only, except those at or below {@code writable}; then
   * checks the result in a fresh mount table.
   *
   * @throws IsolationException naming each mount that could not be made read-only, and why
   */
  static void apply(Collection<Path> declaredWritable) {
    List<String> problems = new ArrayList<>();
    try {
      List<Path> writable = realPaths(declaredWritable);
      MountTable table = MountTable.readSelf();
      for (MountEntry entry : remountable(table, writable)) {
        try {
          Syscalls.mount(null, entry.mountPoint(), null,
              MS_REMOUNT | MS_BIND | MS_RDONLY | MountFlags.lockedFlagsOf(entry), null);
        } catch (SyscallException e) {
          problems.add(entry.mountPoint() + " (" + entry.fsType() + "): " + e.getMessage()
              + (e.errnoName().equals("EBUSY") ? ", as a file on it is open for writing" : ""));
        }
      }
      if (problems.isEmpty()) {
        for (MountEntry entry : remountable(MountTable.readSelf(), writable)) {
          if (!entry.readOnly()) {
            problems.add(entry.mountPoint() + " (" + entry.fsType() + ") is still rw after the"
                + " remount");
          }
        }
      }
    } catch (IOException e) {
      problems.add("the mount table could not be read: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IsolationException("@IsolatedMounts(readOnlyRoot = true): could not make these"
          + " mounts read-only, so the test did not run: " + String.join("; ", problems)
          + ". Declare a writable mount (@Tmpfs, @Overlay) over such a path, or drop"
          + " readOnlyRoot");
    }
  }

  /**
   * The paths as the mount table names mount points: resolved. The JVM's temporary directory, and
   * with it the child's own, may be reached through a link (a {@code java.io.tmpdir} on a linked
   * build directory, {@code /var/run}); so may a coverage agent's file. Compared as written, the
   * private tmpfs for {@code @TempDir} and the others were made read-only with the rest.
   */
  static List<Path> realPaths(Collection<Path> paths) throws IOException {
    List<Path> real = new ArrayList<>();
    for (Path path : paths) {
      real.add(Files.exists(path) ? path.toRealPath() : path);
    }
    return real;
  }

  /** The visible mounts, less those meant to stay writable. */
  static List<MountEntry> remountable(MountTable table, Collection<Path> writable) {
    List<MountEntry> result = new ArrayList<>();
    for (MountEntry entry : table.entries()) {
      boolean visible = table.visible(entry);
      Path point = Path.of(entry.mountPoint());
      boolean keep = writable.stream().anyMatch(point::startsWith)
          || LEFT_WRITABLE.stream().map(Path::of).anyMatch(point::startsWith);
      if (visible && !keep) {
        result.add(entry);
      }
    }
    return result;
  }
}
