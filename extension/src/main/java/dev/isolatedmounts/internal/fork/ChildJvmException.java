package dev.isolatedmounts.internal.fork;

/**
 * The child JVM of an isolated test ended, or misbehaved, before it reported a result: it exited,
 * was killed, never connected, or broke the protocol. The message says which, with the tail of its
 * stderr.
 */
public class ChildJvmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ChildJvmException(String message) {
    super(message);
  }

  public ChildJvmException(String message, Throwable cause) {
    super(message, cause);
  }
}
