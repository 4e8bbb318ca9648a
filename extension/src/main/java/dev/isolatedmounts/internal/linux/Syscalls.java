package dev.isolatedmounts.internal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The libc calls the project makes. Each checks the result and turns a failure into a
 * {@link SyscallException} naming the call, its arguments, the errno name and its text.
 */
public final class Syscalls {

  private static final int PR_SET_PDEATHSIG = 1;
  // Octal, from asm-generic/fcntl.h; x86_64 and arm64 share these two.
  private static final int O_PATH = 010000000;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_DIRECTORY = oDirectory(System.getProperty("os.arch"));
  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1; // SOCK_CLOEXEC is O_CLOEXEC
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int SHUT_RDWR = 2;
  private static final int EINTR = 4;

  private Syscalls() {}

  /**
   * {@code mount(2)}.
   *
   * @param source the device or source directory, or {@code null} (remount, propagation change)
   * @param fsType e.g. {@code "tmpfs"}, or {@code null} where mount(2) ignores it
   * @param flags {@code MS_*} bits of {@link MountFlags}
   * @param data filesystem options such as {@code "mode=0700,size=4m"}, or {@code null}
   */
  public static void mount(String source, String target, String fsType, long flags, String data)
      throws SyscallException {
    call(() -> LibC.mount(source, target, fsType, new NativeLong(flags), data),
        () -> "mount(" + quote(source) + ", " + quote(target) + ", " + quote(fsType) + ", "
            + MountFlags.describe(flags) + ", " + quote(data) + ")");
  }

  /** {@code umount2(2)}; {@code flags} are {@code MNT_*} bits of {@link MountFlags}, or 0. */
  public static void umount2(String target, int flags) throws SyscallException {
    call(() -> LibC.umount2(target, flags),
        () -> "umount2(" + quote(target) + ", " + MountFlags.describeUnmount(flags) + ")");
  }

  /**
   * {@code prctl(PR_SET_PDEATHSIG, signal)}: have the kernel send {@code signal} to this process
   * when its parent dies, so a child is not left behind by a crashed parent.
   *
   * <p>Two kernel rules shape its use: the signal comes when the parent <em>thread</em> that
   * forked this process exits, and it never comes if the parent died before the call; so compare
   * {@link #getppid()} with the expected parent afterwards.
   */
  public static void setParentDeathSignal(int signal) throws SyscallException {
    NativeLong zero = new NativeLong(0);
    call(() -> LibC.prctl(PR_SET_PDEATHSIG, new NativeLong(signal), zero, zero, zero),
        () -> "prctl(PR_SET_PDEATHSIG, " + signal + ")");
  }

  /** {@code geteuid(2)}: the effective user id, 0 for root (also root of a user namespace). */
  public static int geteuid() {
    return LibC.geteuid();
  }

  /** {@code getuid(2)}: the real user id. */
  public static int getuid() {
    return LibC.getuid();
  }

  /** {@code getpid(2)}. */
  public static long getpid() {
    return LibC.getpid();
  }

  /** {@code getppid(2)}: the parent's pid, or 0 if the parent is outside this pid namespace. */
  public static long getppid() {
    return LibC.getppid();
  }

  /**
   * Opens {@code directory} with {@code O_PATH|O_DIRECTORY|O_CLOEXEC}: a handle that pins the
   * directory (and so the mount it is on) without reading it. Close it with {@link #close(int)}.
   *
   * @return the file descriptor
   */
  public static int openPath(String directory) throws SyscallException {
    int flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    return call(() -> LibC.open(directory, flags, 0),
        () -> "open(" + quote(directory) + ", O_PATH|O_DIRECTORY|O_CLOEXEC)");
  }

  /**
   * The value of the extended attribute {@code name} of {@code path} (not followed if a link), or
   * empty if it has none, or this user may not read it ({@code trusted.*} but for root): {@code
   * lgetxattr(2)}, whose value here is at most 255 bytes.
   */
  public static java.util.Optional<String> extendedAttribute(String path, String name) {
    byte[] value = new byte[255];
    long length;
    try {
      length = LibC.lgetxattr(path, name, value, new NativeLong(value.length));
    } catch (LastErrorException e) {
      return java.util.Optional.empty(); // ENODATA, ENOTSUP, EPERM, ERANGE: none to go by
    }
    return length < 0 ? java.util.Optional.empty() : java.util.Optional.of(
        new String(value, 0, (int) length, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** {@code close(2)}. */
  public static void close(int fd) throws SyscallException {
    call(() -> LibC.close(fd), () -> "close(" + fd + ")");
  }

  /** {@code socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)}: an unconnected Unix-domain socket. */
  public static int unixSocket() throws SyscallException {
    return call(() -> LibC.socket(AF_UNIX, SOCK_STREAM | O_CLOEXEC, 0),
        () -> "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)");
  }

  /**
   * {@code connect(2)} to a Unix-domain socket.
   *
   * @param address the bytes of its {@code struct sockaddr_un}, see {@link UnixSocket}
   * @param path the socket's path, for the message should it fail
   */
  static void connect(int fd, byte[] address, String path) throws SyscallException {
    call(() -> LibC.connect(fd, address, address.length),
        () -> "connect(" + fd + ", " + quote(path) + ")");
  }

  /** {@code recv(2)}, retried when a signal interrupts it; 0 at the end of the stream. */
  static int recv(int fd, byte[] buffer, int length) throws SyscallException {
    return retried(() -> (int) LibC.recv(fd, buffer, new NativeLong(length), 0),
        () -> "recv(" + fd + ", " + length + " bytes)");
  }

  /**
   * {@code send(2)} with {@code MSG_NOSIGNAL}: a peer that is gone gives {@code EPIPE}, not a
   * SIGPIPE for the whole process. Retried when a signal interrupts it.
   */
  static int send(int fd, byte[] buffer, int length) throws SyscallException {
    return retried(() -> (int) LibC.send(fd, buffer, new NativeLong(length), MSG_NOSIGNAL),
        () -> "send(" + fd + ", " + length + " bytes)");
  }

  /** {@code shutdown(fd, SHUT_RDWR)}: also wakes a thread blocked reading it. */
  static void shutdown(int fd) throws SyscallException {
    call(() -> LibC.shutdown(fd, SHUT_RDWR), () -> "shutdown(" + fd + ", SHUT_RDWR)");
  }

  /**
   * Changes the root directory of the whole process: all threads of a JVM share one
   * {@code fs_struct}, so they all see the new root.
   */
  public static void chroot(String path) throws SyscallException {
    call(() -> LibC.chroot(path), () -> "chroot(" + quote(path) + ")");
  }

  /** Changes the working directory of the whole process. */
  public static void chdir(String path) throws SyscallException {
    call(() -> LibC.chdir(path), () -> "chdir(" + quote(path) + ")");
  }

  /**
   * The mount namespace of this process, e.g. {@code "mnt:[4026531832]"}: two processes are in
   * the same namespace exactly when these are equal.
   */
  public static String mountNamespace() throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
  }

  // x86_64 takes O_DIRECTORY from asm-generic/fcntl.h; arm64 keeps 32-bit ARM's 040000, where
  // 0200000 means O_DIRECT. O_PATH silently ignores O_DIRECT, so that mistake would open files.
  static int oDirectory(String osArch) {
    return osArch.equals("aarch64") ? 040000 : 0200000;
  }

  static String errnoText(int errno) {
    return LibC.strerror(errno);
  }

  private interface Call {
    int invoke() throws LastErrorException;
  }

  private static int retried(Call call, Supplier<String> operation) throws SyscallException {
    while (true) {
      try {
        return call(call, operation);
      } catch (SyscallException e) {
        if (e.errno() != EINTR) {
          throw e;
        }
      }
    }
  }

  private static int call(Call call, Supplier<String> operation) throws SyscallException {
    int result;
    try {
      result = call.invoke();
    } catch (LastErrorException e) {
      throw failure(operation.get(), e.getErrorCode());
    }
    if (result == -1) {
      // Not expected: JNA clears errno before the call and throws if it is set after.
      throw failure(operation.get(), Native.getLastError());
    }
    return result;
  }

  private static SyscallException failure(String operation, int errno) {
    return new SyscallException(operation, errno, errnoText(errno));
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"', '\\' -> quoted.append('\\').append(c);
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
