package dev.isolatedmounts;

import dev.isolatedmounts.internal.linux.MountTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of the current mount namespace's mount table, parsed from {@code
 * /proc/self/mountinfo}. Works in isolated tests (where it shows the test's own mounts) and in
 * plain ones (the host's).
 *
 * <pre>{@code
 * MountTableView mounts = MountTableView.current();
 * mounts.isMountPoint(Path.of("/var/lib/kvstore"));         // true in an isolated test
 * mounts.mountContaining(Path.of("/etc/kvstore/kvstore.conf"))
 *     .map(Mount::readOnly);                              // Optional[true] for a read-only bind
 * }</pre>
 *
 * <p>For assertions, {@link MountAssertions#assertThat(Path)} reads the table for you.
 */
public final class MountTableView {

  private final MountTable table;

  private MountTableView(MountTable table) {
    this.table = table;
  }

  /**
   * Reads the mount table of this process's mount namespace now.
   *
   * @throws UncheckedIOException when {@code /proc/self/mountinfo} cannot be read (not Linux, or
   *     no {@code /proc})
   */
  public static MountTableView current() {
    try {
      return new MountTableView(MountTable.readSelf());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read /proc/self/mountinfo: " + e.getMessage(), e);
    }
  }

  /**
   * Parses the text of a mountinfo file, for example one saved from another process.
   *
   * @throws IllegalArgumentException naming the first line that is not a mountinfo line
   */
  public static MountTableView parse(String mountinfo) {
    return new MountTableView(MountTable.parse(mountinfo));
  }

  /** All mounts, in the order mountinfo lists them. */
  public List<Mount> mounts() {
    return table.entries().stream().map(Mount::new).toList();
  }

  /** Whether a mount is made exactly at {@code path}. */
  public boolean isMountPoint(Path path) {
    return mountAt(path).isPresent();
  }

  /**
   * The mount visible at {@code path} if a mount is made exactly there: of several stacked at the
   * same point, the one on top.
   */
  public Optional<Mount> mountAt(Path path) {
    return table.topmostAt(canonical(path).toString()).map(Mount::new);
  }

  /**
   * The mount {@code path} lies on: the one at {@code path} itself or at its nearest ancestor
   * that is a mount point, as path lookup reaches it (a mount that a later one over an ancestor
   * hides is passed over). Empty only for a table without a root mount.
   */
  public Optional<Mount> mountContaining(Path path) {
    return table.mountOf(canonical(path).toString()).map(Mount::new);
  }

  /**
   * The path as mountinfo names it: absolute, normalized, and with symbolic links resolved when
   * it exists ({@code /var/run} is mounted as {@code /run}).
   */
  static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return Files.exists(absolute) ? absolute.toRealPath() : absolute;
    } catch (IOException e) {
      return absolute;
    }
  }

  /** One mount a line. */
  @Override
  public String toString() {
    return table.toString();
  }
}
