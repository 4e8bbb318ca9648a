package dev.isolatedmounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

@DisplayName("MountAssertions")
class MountAssertionsTests {

  // Paths below a directory that does not exist on any host, so no symbolic link is followed.
  private static final MountTableView TABLE = MountTableView.parse(String.join("\n",
      "21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
      "40 21 0:40 / /nowhere/var/lib/app rw,nosuid,nodev,relatime - tmpfs tmpfs"
          + " rw,size=8192k,mode=700",
      "41 21 8:1 /src/etc-app /nowhere/etc/app ro,relatime - ext4 /dev/sda1 rw",
      "42 21 0:41 / /nowhere/100%/data rw,relatime - tmpfs tmpfs rw",
      ""));

  private static MountAssert assertThatMount(String path) {
    return new MountAssert(Path.of(path), () -> TABLE);
  }

  private static String failureOf(Executable assertion) {
    AssertionError error = catchThrowableOfType(AssertionError.class, assertion::execute);
    assertThat(error).as("assertion error").isNotNull();
    return error.getMessage();
  }

  @Nested
  @DisplayName("pass")
  class Pass {

    @Test
    @DisplayName("on a tmpfs mount point with its options")
    void tmpfs() {
      assertThatCode(() -> assertThatMount("/nowhere/var/lib/app").isMountPoint()
          .hasFilesystemType("tmpfs").isWritable().hasMountOption("size=8192k")
          .hasMountOption("nosuid")).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("on a path inside a read-only bind, which is no mount point itself")
    void insideBind() {
      assertThatCode(() -> assertThatMount("/nowhere/etc/app/app.conf").isNotMountPoint()
          .isReadOnly().hasFilesystemType("ext4")).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("on the real mount table of this process: / is a mount point")
    void realTable() {
      assertThatCode(() -> MountAssertions.assertThat(Path.of("/")).isMountPoint())
          .doesNotThrowAnyException();
    }
  }

  @Nested
  @DisplayName("fail with a message naming the path and what is mounted")
  class Fail {

    @Test
    @DisplayName("isReadOnly on a writable tmpfs")
    void readOnly() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/var/lib/app").isReadOnly()))
          .isEqualTo("Expecting /nowhere/var/lib/app to be a read-only mount but it is mounted"
              + " rw (tmpfs)");
    }

    @Test
    @DisplayName("isReadOnly on a path inside a writable mount names that mount")
    void readOnlyInside() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/var/lib/app/x/").isReadOnly()))
          .isEqualTo("Expecting /nowhere/var/lib/app/x to be on a read-only mount but its mount"
              + " /nowhere/var/lib/app is mounted rw (tmpfs)");
    }

    @Test
    @DisplayName("isWritable on a read-only bind")
    void writable() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/etc/app").isWritable()))
          .isEqualTo("Expecting /nowhere/etc/app to be a writable mount but it is mounted ro"
              + " (ext4)");
    }

    @Test
    @DisplayName("isMountPoint on a plain directory names the mount it lies on")
    void mountPoint() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/var/lib").isMountPoint()))
          .isEqualTo("Expecting /nowhere/var/lib to be a mount point but it is not: it lies on"
              + " the mount at / (ext4)");
    }

    @Test
    @DisplayName("isNotMountPoint on a mount point")
    void notMountPoint() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/etc/app").isNotMountPoint()))
          .isEqualTo("Expecting /nowhere/etc/app not to be a mount point but it is mounted ro"
              + " (ext4)");
    }

    @Test
    @DisplayName("hasFilesystemType keeps expected and actual for an IDE's diff")
    void filesystemType() {
      AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
          () -> assertThatMount("/nowhere/etc/app").hasFilesystemType("tmpfs"));

      assertThat(error).hasMessage("Expecting /nowhere/etc/app to be a mount of type \"tmpfs\""
          + " but it is of type \"ext4\" (source /dev/sda1)");
      assertThat(error.getExpected().getValue()).isEqualTo("tmpfs");
      assertThat(error.getActual().getValue()).isEqualTo("ext4");
    }

    @Test
    @DisplayName("hasMountOption lists the per-mount and the superblock options")
    void mountOption() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/var/lib/app")
          .hasMountOption("size=4096k")))
          .isEqualTo("Expecting /nowhere/var/lib/app to be a mount with option \"size=4096k\""
              + " but it is mounted with options rw,nosuid,nodev,relatime and superblock options"
              + " rw,size=8192k,mode=700 (tmpfs)");
    }

    @Test
    @DisplayName("a '%' in the path is not taken for a format")
    void percent() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/100%/data").isReadOnly()))
          .isEqualTo("Expecting /nowhere/100%/data to be a read-only mount but it is mounted"
              + " rw (tmpfs)");
    }

    @Test
    @DisplayName("a description given with as() comes first, as in AssertJ")
    void description() {
      assertThat(failureOf(() -> assertThatMount("/nowhere/var/lib/app").as("data dir")
          .isReadOnly())).startsWith("[data dir] Expecting /nowhere/var/lib/app");
    }
  }

  @Test
  @DisplayName("MountTableView finds the mount at and containing a path")
  void view() {
    assertThat(TABLE.mountAt(Path.of("/nowhere/etc/app"))).hasValueSatisfying(mount -> {
      assertThat(mount.readOnly()).isTrue();
      assertThat(mount.root()).isEqualTo("/src/etc-app");
      assertThat(mount.source()).isEqualTo("/dev/sda1");
    });
    assertThat(TABLE.mountAt(Path.of("/nowhere/etc"))).isEmpty();
    assertThat(TABLE.mountContaining(Path.of("/nowhere/etc"))).map(Mount::mountPoint)
        .contains(Path.of("/"));
    assertThat(TABLE.mounts()).hasSize(4);
  }

  @Test
  @DisplayName("MountTableView passes over a mount that a later one over its parent hides")
  void containingPassesOverHidden() {
    MountTableView view = MountTableView.parse(String.join("\n",
        "1 0 8:1 / / rw - ext4 /dev/sda1 rw",
        "30 1 0:30 / /nowhere/sys rw - sysfs sysfs rw",
        "31 30 0:31 / /nowhere/sys/fs rw - cgroup2 cgroup2 rw",
        "40 1 8:1 /src/sys /nowhere/sys ro - ext4 /dev/sda1 ro", ""));
    assertThat(view.mountContaining(Path.of("/nowhere/sys/fs/x"))).map(Mount::root)
        .as("the bind over /nowhere/sys hides what was below it").contains("/src/sys");
  }
}
