package dev.isolatedmounts.internal.linux;

import static dev.isolatedmounts.internal.linux.MountFlags.MNT_DETACH;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_LAZYTIME;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOATIME;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODEV;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODIRATIME;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOEXEC;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSUID;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSYMFOLLOW;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_PRIVATE;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_RDONLY;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REC;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_RELATIME;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_STRICTATIME;
import static dev.isolatedmounts.internal.linux.MountFlags.UMOUNT_NOFOLLOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MountFlagsTests {

  @Nested
  @DisplayName("describe")
  class Describe {

    @Test
    @DisplayName("reports 0 when no flag is set")
    void none() {
      assertThat(MountFlags.describe(0)).isEqualTo("0");
      assertThat(MountFlags.describeUnmount(0)).isEqualTo("0");
    }

    @Test
    @DisplayName("reports the names, lowest bit first, when flags are set")
    void names() {
      assertThat(MountFlags.describe(MS_REC | MS_BIND)).isEqualTo("MS_BIND|MS_REC");
      assertThat(MountFlags.describe(MS_PRIVATE | MS_REC)).isEqualTo("MS_REC|MS_PRIVATE");
      assertThat(MountFlags.describe(MS_LAZYTIME | MS_RDONLY)).isEqualTo("MS_RDONLY|MS_LAZYTIME");
      assertThat(MountFlags.describeUnmount(MNT_DETACH | UMOUNT_NOFOLLOW))
          .isEqualTo("MNT_DETACH|UMOUNT_NOFOLLOW");
    }

    @Test
    @DisplayName("reports bits without a name as one hex number when some are set")
    void unnamed() {
      // 1 << 16 is MS_POSIXACL and 1 << 23 MS_I_VERSION: internal, so not named here.
      assertThat(MountFlags.describe(MS_BIND | 1 << 16 | 1 << 23))
          .isEqualTo("MS_BIND|0x810000");
      assertThat(MountFlags.describe(1L << 40)).isEqualTo("0x10000000000");
      assertThat(MountFlags.describeUnmount(MNT_DETACH | 16)).isEqualTo("MNT_DETACH|0x10");
    }
  }

  @Nested
  @DisplayName("lockedFlagsOf")
  class LockedFlags {

    private MountEntry mountedWith(String... options) {
      return new MountEntry(30, 20, "0:30", "/", "/srv", List.of(options), List.of(), "ext4",
          "/dev/sda1", List.of("rw"));
    }

    @Test
    @DisplayName("reports each locked per-mount flag when the mount has it")
    void all() {
      assertThat(MountFlags.lockedFlagsOf(
              mountedWith("ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime")))
          .isEqualTo(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME);
    }

    @Test
    @DisplayName("reports only the atime mode when the mount is plain rw,relatime")
    void plain() {
      assertThat(MountFlags.lockedFlagsOf(mountedWith("rw", "relatime"))).isEqualTo(MS_RELATIME);
    }

    @Test
    @DisplayName("reports MS_STRICTATIME when the mount shows neither relatime nor noatime")
    void strictatime() {
      assertThat(MountFlags.lockedFlagsOf(mountedWith("rw", "nodiratime")))
          .isEqualTo(MS_NODIRATIME | MS_STRICTATIME);
    }

    @Test
    @DisplayName("reports nosymfollow too, which is not locked but a remount would clear")
    void nosymfollow() {
      assertThat(MountFlags.lockedFlagsOf(mountedWith("rw", "nosuid", "relatime", "nosymfollow")))
          .isEqualTo(MS_NOSUID | MS_RELATIME | MS_NOSYMFOLLOW);
    }

    @Test
    @DisplayName("reports no superblock option when only the superblock has it")
    void superblockIgnored() {
      MountEntry entry = new MountEntry(30, 20, "0:30", "/", "/srv", List.of("rw", "relatime"),
          List.of(), "ext4", "/dev/sda1", List.of("ro", "nosuid"));

      assertThat(MountFlags.lockedFlagsOf(entry)).isEqualTo(MS_RELATIME);
    }
  }
}
