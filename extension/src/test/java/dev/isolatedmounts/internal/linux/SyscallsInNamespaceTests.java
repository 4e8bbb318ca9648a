package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mounts, made by {@link MountProbe} in a child JVM that util-linux {@code unshare} starts in
 * a user and mount namespace nested in another one. The outer namespace mounts a tmpfs with
 * {@code nosuid,nodev,noatime}; the inner one, being less privileged, sees those flags locked.
 * Nothing is mounted on the host, which is checked afterwards.
 */
class SyscallsInNamespaceTests {

  @TempDir
  static Path dir;

  private static MountTable hostBefore;
  private static Map<String, String> probe;

  @BeforeAll
  static void runProbe() throws Exception {
    hostBefore = MountTable.readSelf();
    Command canUnshare = Command.run(List.of("unshare", "--user", "--map-root-user", "--mount",
        "true"));
    assumeTrue(canUnshare.exitCode() == 0, () -> "Needs user namespaces (util-linux unshare,"
        + " kernel.unprivileged_userns_clone=1 or root, no seccomp filter on unshare): "
        + canUnshare);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Command run = Command.run(List.of(
        "unshare", "--user", "--map-root-user", "--mount", "--propagation", "private",
        // --no-mtab: no /run/mount on a host whose /run is not a tmpfs
        "sh", "-c", "dir=$1; shift; mount --no-mtab -t tmpfs -o nosuid,nodev,noatime,size=1m"
            + " probe \"$dir\" && exec \"$@\"",
        "sh", dir.toString(),
        "unshare", "--user", "--map-root-user", "--mount",
        java, "-cp", System.getProperty("java.class.path"), MountProbe.class.getName(),
        Syscalls.mountNamespace(), String.valueOf(ProcessHandle.current().pid()), dir.toString()));
    assertThat(run.exitCode()).as("%s", run).isZero();
    probe = run.stdout().lines()
        .map(line -> line.split("=", 2))
        .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
  }

  @AfterAll
  static void hostUnchanged() throws Exception {
    assertThat(MountTable.readSelf()).isEqualTo(hostBefore);
  }

  private static MountEntry entry(String key) {
    return MountInfoParser.parseLine(probe.get(key), 1);
  }

  @Test
  @DisplayName("reports a mount namespace other than the host's")
  void ownNamespace() throws Exception {
    assertThat(probe.get("namespace")).isNotEqualTo(Syscalls.mountNamespace());
  }

  @Test
  @DisplayName("reports this JVM as parent after setting the parent-death signal")
  void parent() {
    assertThat(probe.get("parent")).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
  }

  @Nested
  @DisplayName("tmpfs")
  class Tmpfs {

    private final String target = dir.resolve("tmpfs").toString();

    @Test
    @DisplayName("reports the flags and data it was mounted with when mounted")
    void mounted() {
      MountEntry tmpfs = entry("tmpfs");

      assertThat(tmpfs.mountPoint()).isEqualTo(target);
      assertThat(tmpfs.fsType()).isEqualTo("tmpfs");
      assertThat(tmpfs.mountOptions()).contains("rw", "nosuid", "nodev");
      assertThat(tmpfs.superOptions()).contains("size=4096k", "mode=700");
    }

    @Test
    @DisplayName("reports EBUSY when an O_PATH descriptor pins it, and unmounts once closed")
    void pinned() {
      assertThat(probe.get("umountWhilePinned"))
          .isEqualTo("umount2(\"" + target + "\", 0) failed: EBUSY (Device or resource busy)");
      assertThat(probe.get("afterUmount")).isEqualTo("[]");
    }

    @Test
    @DisplayName("reports EINVAL naming the path when unmounted twice")
    void notMounted() {
      assertThat(probe.get("umountAgain"))
          .isEqualTo("umount2(\"" + target + "\", 0) failed: EINVAL (Invalid argument)");
    }
  }

  @Nested
  @DisplayName("read-only bind of a mount with locked flags")
  class ReadOnlyBind {

    private final String target = dir.resolve("dst").toString();

    @Test
    @DisplayName("reports EPERM when the remount leaves the locked flags out")
    void withoutLockedFlags() {
      assertThat(entry("bound").mountOptions())
          .containsExactly("rw", "nosuid", "nodev", "noatime");
      assertThat(probe.get("remountWithoutLocked")).isEqualTo("mount(null, \"" + target
          + "\", null, MS_RDONLY|MS_REMOUNT|MS_BIND, null) failed: EPERM (Operation not permitted)");
    }

    @Test
    @DisplayName("reports read-only with the locked flags kept when remounted with lockedFlagsOf")
    void withLockedFlags() {
      assertThat(probe.get("locked")).isEqualTo("MS_NOSUID|MS_NODEV|MS_NOATIME");
      assertThat(entry("remounted").mountOptions())
          .containsExactly("ro", "nosuid", "nodev", "noatime");
      assertThat(probe.get("writable")).isEqualTo("false");
    }
  }
}
