package dev.isolatedmounts.internal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;

/**
 * The libc functions the project calls, declared as in their man pages. Only {@link Syscalls}
 * uses it.
 *
 * <p>Methods that can fail declare {@link LastErrorException}: JNA then clears {@code errno}
 * before the call and throws if it is set afterwards, so errno is read on the calling thread
 * before the JVM can overwrite it.
 */
interface LibC extends Library {

  /**
   * {@code int mount(const char *source, const char *target, const char *filesystemtype,
   * unsigned long mountflags, const void *data)}; {@code source} and {@code data} may be null.
   */
  int mount(String source, String target, String filesystemtype, NativeLong mountflags, String data)
      throws LastErrorException;

  /** {@code int umount2(const char *target, int flags)}. */
  int umount2(String target, int flags) throws LastErrorException;

  /**
   * {@code int prctl(int option, unsigned long arg2, ...)}. Variadic in C; on x86_64 and
   * (non-Apple) aarch64 variadic integer arguments travel exactly like fixed ones.
   */
  int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
      throws LastErrorException;

  /** {@code uid_t geteuid(void)}; always succeeds. */
  int geteuid();

  /** {@code uid_t getuid(void)}; always succeeds. */
  int getuid();

  /** {@code pid_t getpid(void)}; always succeeds. */
  int getpid();

  /** {@code pid_t getppid(void)}; always succeeds. */
  int getppid();

  /**
   * {@code int open(const char *pathname, int flags, mode_t mode)}. Variadic in C, see
   * {@link #prctl}.
   */
  int open(String path, int flags, int mode) throws LastErrorException;

  /** {@code int close(int fd)}. */
  int close(int fd) throws LastErrorException;

  /** {@code int chroot(const char *path)}. */
  int chroot(String path) throws LastErrorException;

  /** {@code int chdir(const char *path)}. */
  int chdir(String path) throws LastErrorException;

  /** {@code int socket(int domain, int type, int protocol)}. */
  int socket(int domain, int type, int protocol) throws LastErrorException;

  /**
   * {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}, with the
   * address as the bytes of a {@code struct sockaddr_un}.
   */
  int connect(int fd, byte[] address, int length) throws LastErrorException;

  /**
   * {@code ssize_t recv(int sockfd, void *buf, size_t len, int flags)}. The result is read as an
   * int: callers never ask for 2 GiB at once, and on x86_64 and aarch64 an int is the low half of
   * the return register.
   */
  int recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

  /** {@code ssize_t send(int sockfd, const void *buf, size_t len, int flags)}, see {@link #recv}. */
  int send(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

  /** {@code int shutdown(int sockfd, int how)}. */
  int shutdown(int fd, int how) throws LastErrorException;

  /** {@code char *strerror(int errnum)}. */
  String strerror(int errnum);
}
