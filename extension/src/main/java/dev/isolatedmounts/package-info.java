/**
 * Hermetic filesystem tests for JUnit Jupiter on Linux: the public API of isolated-mounts.
 *
 * <p>{@link dev.isolatedmounts.IsolatedMounts @IsolatedMounts},
 * {@link dev.isolatedmounts.Tmpfs @Tmpfs}, {@link dev.isolatedmounts.Bind @Bind} and
 * {@link dev.isolatedmounts.Overlay @Overlay} make a test
 * run in its own child JVM inside a fresh mount namespace with the declared mounts;
 * {@link dev.isolatedmounts.MountAssertions} asserts on what is mounted, and
 * {@link dev.isolatedmounts.MountTableView} reads the mount table.
 *
 * <pre>{@code
 * @Tmpfs(value = "/var/lib/app", size = "4m")
 * class AppStorageTest {
 *   @Test
 *   void writesToItsOwnTmpfs() throws IOException {
 *     Files.writeString(Path.of("/var/lib/app/state"), "x");   // never reaches the host
 *     MountAssertions.assertThat(Path.of("/var/lib/app"))
 *         .isMountPoint().hasFilesystemType("tmpfs").hasMountOption("size=4096k");
 *   }
 * }
 * }</pre>
 *
 * <p>Settings are JUnit configuration parameters under {@code isolatedmounts.} (in {@code
 * junit-platform.properties} or as {@code -D} system properties); the project's README lists them
 * with their defaults. Packages below {@code dev.isolatedmounts.internal} are not part of the API.
 */
package dev.isolatedmounts;
