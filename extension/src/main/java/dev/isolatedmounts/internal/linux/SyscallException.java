package dev.isolatedmounts.internal.linux;

import java.io.IOException;

/**
 * A libc call failed. The message names the call with its arguments, the errno name and its text,
 * e.g. {@code umount2("/var/lib/app", 0) failed: EINVAL (Invalid argument)}.
 */
public final class SyscallException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int errno;

  SyscallException(String operation, int errno, String errnoText) {
    super(operation + " failed: " + Errno.name(errno) + " (" + errnoText + ")");
    this.operation = operation;
    this.errno = errno;
  }

  /** The failed call with its arguments, e.g. {@code umount2("/var/lib/app", 0)}. */
  public String operation() {
    return operation;
  }

  /** The errno the call set, e.g. {@code 22}. */
  public int errno() {
    return errno;
  }

  /** The symbolic name of {@link #errno()}, e.g. {@code "EINVAL"}, or {@code "errno N"}. */
  public String errnoName() {
    return Errno.name(errno);
  }
}
