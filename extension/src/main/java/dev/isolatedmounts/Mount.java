package dev.isolatedmounts;

import dev.isolatedmounts.internal.linux.MountEntry;
import java.nio.file.Path;
import java.util.List;

/**
 * One mount of the current mount namespace, as a line of {@code /proc/self/mountinfo} describes
 * it (see proc_pid_mountinfo(5)). Obtained from {@link MountTableView}.
 *
 * <pre>{@code
 * Mount data = MountTableView.current().mountAt(Path.of("/var/lib/kvstore")).orElseThrow();
 * data.filesystemType();   // "tmpfs"
 * data.readOnly();         // false
 * data.superOptions();     // [rw, size=4096k, mode=700]
 * }</pre>
 */
public final class Mount {

  private final MountEntry entry;

  Mount(MountEntry entry) {
    this.entry = entry;
  }

  /** Where the mount is, relative to this process's root, for example {@code /var/lib/kvstore}. */
  public Path mountPoint() {
    return Path.of(entry.mountPoint());
  }

  /** The filesystem type, for example {@code "tmpfs"}, {@code "ext4"} or {@code "overlay"}. */
  public String filesystemType() {
    return entry.fsType();
  }

  /** The filesystem-specific source, for example {@code "/dev/sda1"}, {@code "tmpfs"} or empty. */
  public String source() {
    return entry.source();
  }

  /**
   * The directory of the filesystem that this mount shows: {@code "/"} for a whole filesystem, a
   * subdirectory for a bind mount of one.
   */
  public String root() {
    return entry.root();
  }

  /** The per-mount options, for example {@code [ro, nosuid, nodev, relatime]}. */
  public List<String> mountOptions() {
    return entry.mountOptions();
  }

  /** The per-superblock options, for example {@code [rw, size=4096k, mode=700]}. */
  public List<String> superOptions() {
    return entry.superOptions();
  }

  /**
   * Whether writes are refused: {@code ro} among the per-mount options (a read-only bind) or the
   * superblock options (a filesystem mounted read-only everywhere).
   */
  public boolean readOnly() {
    return entry.readOnly() || entry.hasSuperOption("ro");
  }

  /**
   * Whether {@code option}, exactly as mountinfo shows it ({@code "nosuid"}, {@code
   * "size=4096k"}, {@code "mode=700"}), is among the per-mount or the superblock options.
   */
  public boolean hasOption(String option) {
    return entry.hasMountOption(option) || entry.hasSuperOption(option);
  }

  /**
   * The propagation type: {@code "shared"}, {@code "master"} (a slave mount), {@code
   * "shared,master"}, {@code "unbindable"} or {@code "private"}.
   */
  public String propagation() {
    return entry.propagation();
  }

  /** "rw (tmpfs)" or "ro (ext4)": how failure messages describe a mount. */
  String describeAccess() {
    return (readOnly() ? "ro" : "rw") + " (" + filesystemType() + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Mount mount && entry.equals(mount.entry);
  }

  @Override
  public int hashCode() {
    return entry.hashCode();
  }

  /** The mountinfo line, with paths decoded. */
  @Override
  public String toString() {
    return entry.toString();
  }
}
