package dev.isolatedmounts;

import java.nio.file.Path;

/**
 * Entry point of the AssertJ assertions on mounts: what is mounted at a path in the current mount
 * namespace, read from {@code /proc/self/mountinfo} when each assertion runs.
 *
 * <pre>{@code
 * @Test
 * @Tmpfs(value = "/var/lib/kvstore", size = "4m")
 * @Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
 * void mountsAreInPlace() {
 *   MountAssertions.assertThat(Path.of("/var/lib/kvstore"))
 *       .isMountPoint().hasFilesystemType("tmpfs").isWritable().hasMountOption("size=4096k");
 *   MountAssertions.assertThat(Path.of("/etc/kvstore")).isMountPoint().isReadOnly();
 * }
 * }</pre>
 *
 * <p>AssertJ's own {@code Assertions.assertThat(Path)} has the same signature, so a class that
 * statically imports both cannot call either unqualified: call {@code
 * MountAssertions.assertThat(...)}, or statically import {@link #assertThatMount(Path)}.
 *
 * <p>AssertJ is an optional dependency of this library: a project using these assertions needs
 * {@code org.assertj:assertj-core} (3.x) on its test class path.
 */
public final class MountAssertions {

  private MountAssertions() {}

  /**
   * Starts assertions on the mount at, or containing, {@code path}.
   *
   * @param path a path in the current mount namespace; relative paths are resolved against the
   *     working directory, symbolic links of existing paths are followed
   * @return the assertion object
   */
  public static MountAssert assertThat(Path path) {
    return new MountAssert(path, MountTableView::current);
  }

  /**
   * The same as {@link #assertThat(Path)}, under a name that can be statically imported next to
   * AssertJ's {@code Assertions.assertThat}.
   *
   * @param path a path in the current mount namespace
   * @return the assertion object
   */
  public static MountAssert assertThatMount(Path path) {
    return assertThat(path);
  }
}
