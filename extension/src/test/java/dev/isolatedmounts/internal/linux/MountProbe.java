package dev.isolatedmounts.internal.linux;

import static dev.isolatedmounts.internal.linux.MountFlags.MS_BIND;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NODEV;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_NOSUID;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_RDONLY;
import static dev.isolatedmounts.internal.linux.MountFlags.MS_REMOUNT;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child side of {@link SyscallsInNamespaceTests}: makes real mounts with {@link Syscalls}
 * and prints what it saw as {@code key=value} lines. Run only inside a mount namespace of its own;
 * it refuses to mount anything when its namespace is the one given as the host's.
 *
 * <p>Arguments: the host's mount namespace, the pid of the expected parent, and a directory on
 * which the enclosing namespace mounted a tmpfs with {@code nosuid,nodev,noatime}, which this
 * process sees locked because its user namespace is a less privileged one.
 */
final class MountProbe {

  private MountProbe() {}

  public static void main(String[] args) throws Exception {
    String namespace = Syscalls.mountNamespace();
    if (namespace.equals(args[0])) {
      System.err.println("Refusing to mount: still in the host's mount namespace " + namespace);
      System.exit(2);
    }
    report("namespace", namespace);
    Syscalls.setParentDeathSignal(9);
    report("parent", Syscalls.getppid() + (Syscalls.getppid() == Long.parseLong(args[1])
        ? "" : " (expected " + args[1] + ")"));
    Path dir = Path.of(args[2]);
    tmpfs(Files.createDirectory(dir.resolve("tmpfs")).toString());
    readOnlyBind(Files.createDirectory(dir.resolve("src")).toString(),
        Files.createDirectory(dir.resolve("dst")).toString());
  }

  private static void tmpfs(String target) throws Exception {
    Syscalls.mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=4m");
    report("tmpfs", MountTable.readSelf().topmostAt(target).orElseThrow());
    int fd = Syscalls.openPath(target);
    report("umountWhilePinned", failureOf(() -> Syscalls.umount2(target, 0)));
    Syscalls.close(fd);
    Syscalls.umount2(target, 0);
    report("afterUmount", MountTable.readSelf().at(target));
    report("umountAgain", failureOf(() -> Syscalls.umount2(target, 0)));
  }

  private static void readOnlyBind(String source, String target) throws Exception {
    Syscalls.mount(source, target, null, MS_BIND, null);
    MountEntry bound = MountTable.readSelf().topmostAt(target).orElseThrow();
    report("bound", bound);
    report("remountWithoutLocked", failureOf(
        () -> Syscalls.mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY, null)));
    long locked = MountFlags.lockedFlagsOf(bound);
    report("locked", MountFlags.describe(locked));
    Syscalls.mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY | locked, null);
    report("remounted", MountTable.readSelf().topmostAt(target).orElseThrow());
    report("writable", Files.isWritable(Path.of(target)));
  }

  private interface Call {
    void run() throws SyscallException;
  }

  private static String failureOf(Call call) {
    try {
      call.run();
      return "succeeded";
    } catch (SyscallException e) {
      return e.getMessage();
    }
  }

  private static void report(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
