package dev.isolatedmounts;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the mount at a path, created by {@link MountAssertions#assertThat(Path)}.
 *
 * <p>{@link #isMountPoint()} and {@link #isNotMountPoint()} look at the path itself. The other
 * assertions look at the mount the path lies on: the mount made at the path, or else at its
 * nearest ancestor that is a mount point; so {@code assertThat(Path.of("/etc/app/app.conf"))
 * .isReadOnly()} checks the read-only bind at {@code /etc/app}. Each assertion reads the mount
 * table when it runs.
 */
public final class MountAssert extends AbstractAssert<MountAssert, Path> {

  private final Supplier<MountTableView> mountTable;

  MountAssert(Path path, Supplier<MountTableView> mountTable) {
    super(path, MountAssert.class);
    this.mountTable = mountTable;
  }

  /**
   * Verifies that a mount is made exactly at the path.
   *
   * @return this assertion object
   */
  public MountAssert isMountPoint() {
    MountTableView table = table();
    if (!table.isMountPoint(actual)) {
      fail("Expecting " + path() + " to be a mount point but it is not: it lies on "
          + table.mountContaining(actual).map(m -> "the mount at " + m.mountPoint() + " ("
              + m.filesystemType() + ")").orElse("no mount at all"));
    }
    return this;
  }

  /**
   * Verifies that no mount is made exactly at the path.
   *
   * @return this assertion object
   */
  public MountAssert isNotMountPoint() {
    table().mountAt(actual).ifPresent(mount -> fail("Expecting " + path()
        + " not to be a mount point but it is mounted " + mount.describeAccess()));
    return this;
  }

  /**
   * Verifies the type of the mount, as mountinfo names it: {@code "tmpfs"}, {@code "ext4"},
   * {@code "overlay"}, ... A bind mount has the type of the filesystem it shows.
   *
   * @param type the expected filesystem type
   * @return this assertion object
   */
  public MountAssert hasFilesystemType(String type) {
    Mount mount = mount();
    if (!mount.filesystemType().equals(type)) {
      failWithActualExpectedAndMessage(mount.filesystemType(), type, escape("Expecting " + path()
          + " to be " + on() + "mount of type \"" + type + "\" but " + it(mount) + " of type \""
          + mount.filesystemType() + "\" (source " + mount.source() + ")"));
    }
    return this;
  }

  /**
   * Verifies that the mount refuses writes: {@code ro} in its per-mount options (a read-only
   * bind) or its superblock options.
   *
   * @return this assertion object
   */
  public MountAssert isReadOnly() {
    Mount mount = mount();
    if (!mount.readOnly()) {
      fail("Expecting " + path() + " to be " + on() + "read-only mount but " + it(mount)
          + " mounted " + mount.describeAccess());
    }
    return this;
  }

  /**
   * Verifies that the mount allows writes (neither its per-mount nor its superblock options say
   * {@code ro}). File permissions are not looked at.
   *
   * @return this assertion object
   */
  public MountAssert isWritable() {
    Mount mount = mount();
    if (mount.readOnly()) {
      fail("Expecting " + path() + " to be " + on() + "writable mount but " + it(mount)
          + " mounted " + mount.describeAccess());
    }
    return this;
  }

  /**
   * Verifies that {@code option} is among the mount's per-mount or superblock options, exactly as
   * mountinfo shows it: {@code "nosuid"}, {@code "mode=700"}, or {@code "size=4096k"} (the kernel
   * shows a tmpfs size in kibibytes, so {@code @Tmpfs(size = "4m")} appears as {@code
   * size=4096k}).
   *
   * @param option the expected option
   * @return this assertion object
   */
  public MountAssert hasMountOption(String option) {
    Mount mount = mount();
    if (!mount.hasOption(option)) {
      fail("Expecting " + path() + " to be " + on() + "mount with option \"" + option + "\" but "
          + it(mount) + " mounted with options " + String.join(",", mount.mountOptions())
          + " and superblock options " + String.join(",", mount.superOptions()) + " ("
          + mount.filesystemType() + ")");
    }
    return this;
  }

  private MountTableView table() {
    isNotNull();
    return mountTable.get();
  }

  private Mount mount() {
    return table().mountContaining(actual).orElseThrow(() -> failure(escape("Expecting " + path()
        + " to lie on a mount but the mount table has no mount containing it")));
  }

  /** "a " for a mount point, "on a " for a path inside a mount. */
  private String on() {
    return mountTable.get().isMountPoint(actual) ? "a " : "on a ";
  }

  /** "it is" for a mount point, "its mount /x is" for a path inside the mount at /x. */
  private String it(Mount mount) {
    return mount.mountPoint().equals(MountTableView.canonical(actual)) ? "it is"
        : "its mount " + mount.mountPoint() + " is";
  }

  private String path() {
    return MountTableView.canonical(actual).toString();
  }

  private void fail(String message) {
    failWithMessage(escape(message));
  }

  /** AssertJ formats messages with String.format, and a path may contain a '%'. */
  private static String escape(String message) {
    return message.replace("%", "%%");
  }
}
