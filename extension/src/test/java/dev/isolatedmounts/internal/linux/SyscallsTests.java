package dev.isolatedmounts.internal.linux;

import static dev.isolatedmounts.internal.linux.MountFlags.MNT_DETACH;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODEV;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSUID;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_RDONLY;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REMOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in the host's mount namespace, often as root: every mount and unmount here must fail, so
 * each targets a path that does not exist or is not a mount point, and the host's mount table is
 * checked unchanged after each test.
 */
class SyscallsTests {

  @TempDir
  Path dir;

  private MountTable hostBefore;

  @BeforeEach
  void snapshotHost() throws IOException {
    hostBefore = MountTable.readSelf();
  }

  @AfterEach
  void hostUnchanged() throws IOException {
    assertThat(MountTable.readSelf()).isEqualTo(hostBefore);
  }

  private Path missing(String name) {
    Path missing = dir.resolve(name);
    assertThat(missing).doesNotExist();
    return missing;
  }

  @Nested
  @DisplayName("mount")
  class Mount {

    @Test
    @DisplayName("reports the call, ENOENT and its text when the target does not exist")
    void missingTarget() {
      String target = missing("app").toString();

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV,
              "mode=0700,size=4m"))
          .withMessage("mount(\"tmpfs\", \"" + target + "\", \"tmpfs\", MS_NOSUID|MS_NODEV,"
              + " \"mode=0700,size=4m\") failed: ENOENT (No such file or directory)")
          .satisfies(e -> {
            assertThat(e.operation()).isEqualTo("mount(\"tmpfs\", \"" + target + "\", \"tmpfs\","
                + " MS_NOSUID|MS_NODEV, \"mode=0700,size=4m\")");
            assertThat(e.errno()).isEqualTo(Errno.ENOENT);
            assertThat(e.errnoName()).isEqualTo("ENOENT");
          });
    }

    @Test
    @DisplayName("reports null source, type and data as null when they are null")
    void nulls() {
      String target = missing("ro").toString();

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY,
              null))
          .withMessage("mount(null, \"" + target + "\", null, MS_RDONLY|MS_REMOUNT|MS_BIND, null)"
              + " failed: ENOENT (No such file or directory)");
    }

    @Test
    @DisplayName("reports quotes and backslashes escaped when the path has them")
    void escaped() {
      String target = missing("a \"b\"\\c").toString();
      String shown = target.replace("\\", "\\\\").replace("\"", "\\\"");

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.mount(target, target, null, MS_BIND, null))
          .withMessage("mount(\"" + shown + "\", \"" + shown + "\", null, MS_BIND, null) failed:"
              + " ENOENT (No such file or directory)");
    }
  }

  @Nested
  @DisplayName("umount2")
  class Umount2 {

    @Test
    @DisplayName("reports EINVAL naming the path when the target is not a mount point")
    void notAMountPoint() throws IOException {
      String target = dir.toString();
      assertThat(MountTable.readSelf().at(target)).isEmpty();
      // The kernel checks the privilege to unmount before whether the path is a mount point.
      String expected =
          mayMount() ? "EINVAL (Invalid argument)" : "EPERM (Operation not permitted)";

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.umount2(target, 0))
          .withMessage("umount2(\"" + target + "\", 0) failed: " + expected);
    }

    @Test
    @DisplayName("reports ENOENT and the flags when the target does not exist")
    void missingTarget() {
      String target = missing("gone").toString();

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.umount2(target, MNT_DETACH))
          .withMessage("umount2(\"" + target + "\", MNT_DETACH) failed: ENOENT (No such file or"
              + " directory)");
    }

    /** Whether this process holds CAP_SYS_ADMIN (bit 21 of CapEff in /proc/self/status). */
    private boolean mayMount() throws IOException {
      String capEff = Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("CapEff:"))
          .findFirst().orElseThrow().substring("CapEff:".length()).strip();
      return (Long.parseUnsignedLong(capEff, 16) & (1L << 21)) != 0;
    }
  }

  @Nested
  @DisplayName("openPath and close")
  class OpenPath {

    @Test
    @DisplayName("reports a descriptor of the directory, closed on exec, until it is closed")
    void roundTrip() throws IOException {
      int fd = Syscalls.openPath(dir.toString());
      Path link = Path.of("/proc/self/fd/" + fd);
      try {
        assertThat(fd).isNotNegative();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(dir);
        assertThat(fdinfoFlags(fd) & 010000000).as("O_PATH").isNotZero();
        assertThat(fdinfoFlags(fd) & 02000000).as("O_CLOEXEC").isNotZero();
      } finally {
        Syscalls.close(fd);
      }
      // Another thread may have got the same number since; it cannot be this directory again.
      assertThat(Files.exists(link) ? Files.readSymbolicLink(link) : null).isNotEqualTo(dir);
    }

    @Test
    @DisplayName("reports ENOENT naming the path when the directory does not exist")
    void missingDirectory() {
      String directory = missing("nowhere").toString();

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.openPath(directory))
          .withMessage("open(\"" + directory + "\", O_PATH|O_DIRECTORY|O_CLOEXEC) failed:"
              + " ENOENT (No such file or directory)");
    }

    @Test
    @DisplayName("reports ENOTDIR when the path is a file (O_DIRECTORY is right for this CPU)")
    void file() throws IOException {
      String file = Files.createFile(dir.resolve("file")).toString();

      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.openPath(file))
          .satisfies(e -> assertThat(e.errno()).isEqualTo(Errno.ENOTDIR))
          .withMessageEndingWith("failed: ENOTDIR (Not a directory)");
    }

    @Test
    @DisplayName("reports EBADF when the descriptor is not open")
    void closeBadDescriptor() {
      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.close(-1))
          .withMessage("close(-1) failed: EBADF (Bad file descriptor)")
          .satisfies(e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }

    private long fdinfoFlags(int fd) throws IOException {
      String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
          .filter(line -> line.startsWith("flags:"))
          .findFirst().orElseThrow().substring("flags:".length()).strip();
      return Long.parseLong(flags, 8);
    }
  }

  @Nested
  @DisplayName("setParentDeathSignal")
  class ParentDeathSignal {

    @Test
    @DisplayName("reports EINVAL and the signal when the signal does not exist")
    void invalidSignal() {
      assertThatExceptionOfType(SyscallException.class)
          .isThrownBy(() -> Syscalls.setParentDeathSignal(65))
          .withMessage("prctl(PR_SET_PDEATHSIG, 65) failed: EINVAL (Invalid argument)");
    }
  }

  @Nested
  @DisplayName("ids and namespace")
  class Ids {

    @Test
    @DisplayName("reports the effective user id that id -u reports")
    void geteuid() throws Exception {
      assertThat(Syscalls.geteuid()).isEqualTo(Integer.parseInt(Command.output("id", "-u")));
    }

    @Test
    @DisplayName("reports the real user id that id -ru reports")
    void getuid() throws Exception {
      assertThat(Syscalls.getuid()).isEqualTo(Integer.parseInt(Command.output("id", "-ru")));
    }

    @Test
    @DisplayName("reports the pid and parent pid that the JDK reports")
    void pids() {
      ProcessHandle self = ProcessHandle.current();

      assertThat(Syscalls.getpid()).isEqualTo(self.pid());
      assertThat(Syscalls.getppid()).isEqualTo(self.parent().orElseThrow().pid());
    }

    @Test
    @DisplayName("reports the mount namespace that readlink /proc/self/ns/mnt reports")
    void mountNamespace() throws Exception {
      assertThat(Syscalls.mountNamespace())
          .isEqualTo(Command.output("readlink", "/proc/self/ns/mnt"))
          .matches("mnt:\\[\\d+]");
    }
  }
}
