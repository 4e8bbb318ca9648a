package dev.isolatedmounts.internal.child;

/**
 * The child could not set up, or could not confirm, the isolation its test declared; the test
 * fails with it before any of its code runs.
 */
public class IsolationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IsolationException(String message) {
    super(message);
  }

  public IsolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
