package dev.isolatedmounts.internal.linux;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;

/**
 * The libc functions the project calls, declared as in their man pages. Only {@link Syscalls}
 * uses it.
 *
 * <p>Each method calls its libc function through JNA's {@link Function} directly, not through an
 * interface that {@code Native.load} implements: that needs a proxy class made at run time and
 * reflection on every call, about 10 ms of every child JVM's CPU (measured on JDK 17 and 25),
 * for no gain here.
 *
 * <p>Methods that can fail declare {@link LastErrorException}: their function is called with
 * {@link Function#THROW_LAST_ERROR}, so JNA clears {@code errno} before the call and throws if it
 * is set afterwards, reading it on the calling thread before the JVM can overwrite it.
 */
final class LibC {

  private static final NativeLibrary C = NativeLibrary.getInstance("c");

  private LibC() {}

  /**
   * {@code int mount(const char *source, const char *target, const char *filesystemtype,
   * unsigned long mountflags, const void *data)}; {@code source} and {@code data} may be null.
   */
  static int mount(String source, String target, String filesystemtype, NativeLong mountflags,
      String data) throws LastErrorException {
    return failing("mount").invokeInt(new Object[] {source, target, filesystemtype, mountflags,
        data});
  }

  /** {@code int umount2(const char *target, int flags)}. */
  static int umount2(String target, int flags) throws LastErrorException {
    return failing("umount2").invokeInt(new Object[] {target, flags});
  }

  /**
   * {@code int prctl(int option, unsigned long arg2, ...)}. Variadic in C; on x86_64 and
   * (non-Apple) aarch64 variadic integer arguments travel exactly like fixed ones.
   */
  static int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
      throws LastErrorException {
    return failing("prctl").invokeInt(new Object[] {option, arg2, arg3, arg4, arg5});
  }

  /** {@code uid_t geteuid(void)}; always succeeds. */
  static int geteuid() {
    return plain("geteuid").invokeInt(new Object[0]);
  }

  /** {@code uid_t getuid(void)}; always succeeds. */
  static int getuid() {
    return plain("getuid").invokeInt(new Object[0]);
  }

  /** {@code pid_t getpid(void)}; always succeeds. */
  static int getpid() {
    return plain("getpid").invokeInt(new Object[0]);
  }

  /** {@code pid_t getppid(void)}; always succeeds. */
  static int getppid() {
    return plain("getppid").invokeInt(new Object[0]);
  }

  /**
   * {@code int open(const char *pathname, int flags, mode_t mode)}. Variadic in C, see
   * {@link #prctl}.
   */
  static int open(String path, int flags, int mode) throws LastErrorException {
    return failing("open").invokeInt(new Object[] {path, flags, mode});
  }

  /** {@code int close(int fd)}. */
  static int close(int fd) throws LastErrorException {
    return failing("close").invokeInt(new Object[] {fd});
  }

  /** {@code int chroot(const char *path)}. */
  static int chroot(String path) throws LastErrorException {
    return failing("chroot").invokeInt(new Object[] {path});
  }

  /** {@code int chdir(const char *path)}. */
  static int chdir(String path) throws LastErrorException {
    return failing("chdir").invokeInt(new Object[] {path});
  }

  /** {@code int socket(int domain, int type, int protocol)}. */
  static int socket(int domain, int type, int protocol) throws LastErrorException {
    return failing("socket").invokeInt(new Object[] {domain, type, protocol});
  }

  /**
   * {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}, with the
   * address as the bytes of a {@code struct sockaddr_un}.
   */
  static int connect(int fd, byte[] address, int length) throws LastErrorException {
    return failing("connect").invokeInt(new Object[] {fd, address, length});
  }

  /** {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}. */
  static long recv(int fd, byte[] buffer, NativeLong length, int flags)
      throws LastErrorException {
    return failing("recv").invokeLong(new Object[] {fd, buffer, length, flags});
  }

  /** {@code ssize_t send(int sockfd, const void *buf, size_t len, int flags)}. */
  static long send(int fd, byte[] buffer, NativeLong length, int flags)
      throws LastErrorException {
    return failing("send").invokeLong(new Object[] {fd, buffer, length, flags});
  }

  /** {@code int shutdown(int sockfd, int how)}. */
  static int shutdown(int fd, int how) throws LastErrorException {
    return failing("shutdown").invokeInt(new Object[] {fd, how});
  }

  /** {@code char *strerror(int errnum)}. */
  static String strerror(int errnum) {
    return plain("strerror").invokeString(new Object[] {errnum}, false);
  }

  /** A function that reports failure in errno; JNA keeps each looked up once. */
  /**
   * {@code ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)}: the
   * link itself, not what it names.
   */
  static long lgetxattr(String path, String name, byte[] value, NativeLong size)
      throws LastErrorException {
    return failing("lgetxattr").invokeLong(new Object[] {path, name, value, size});
  }

  private static Function failing(String name) {
    return C.getFunction(name, Function.THROW_LAST_ERROR);
  }

  private static Function plain(String name) {
    return C.getFunction(name);
  }
}
