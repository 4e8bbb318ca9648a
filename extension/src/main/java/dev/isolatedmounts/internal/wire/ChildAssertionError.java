package dev.isolatedmounts.internal.wire;

/**
 * Stands in for an {@link AssertionError} from the child that the parent could not rebuild as its
 * own class.
 *
 * <p>Being an {@code AssertionError} keeps the test a failure rather than an error in build
 * reports. Like {@link ChildException}, it keeps the original class name, message, stack trace,
 * cause and suppressed exceptions, and prints as the original would.
 */
public final class ChildAssertionError extends AssertionError {

  private final String originalClassName;

  ChildAssertionError(String originalClassName, String message, Throwable cause) {
    super(message, cause);
    this.originalClassName = originalClassName;
  }

  /** Returns the fully qualified name of the error's class in the child. */
  public String originalClassName() {
    return originalClassName;
  }

  /** Returns what the original's {@code toString()} typically returned: class name and message. */
  @Override
  public String toString() {
    return Placeholders.printed(originalClassName, getLocalizedMessage());
  }
}
