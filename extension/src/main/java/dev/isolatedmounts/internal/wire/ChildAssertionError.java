package dev.isolatedmounts.internal.wire;

/**
 * Stands in for an {@link AssertionError} from the child that the parent could not rebuild as its
 * own class.
 *
 * <p>Being an {@code AssertionError} keeps the test a failure rather than an error in build
 * reports. Like {@link ChildException}, it keeps the original class name, message, stack trace,
 * cause and suppressed exceptions, and prints as the original would.
 */
public class ChildAssertionError extends AssertionError {

  private final String originalClassName;

  /** Public for the subclasses named as the originals ({@link NamedPlaceholders}). */
  public ChildAssertionError(String originalClassName, String message, Throwable cause) {
    super(message, cause);
    this.originalClassName = originalClassName;
  }

  /** Returns the fully qualified name of the error's class in the child. */
  public final String originalClassName() {
    return originalClassName;
  }

  /** Returns what the original's {@code toString()} typically returned: class name and message. */
  @Override
  public final String toString() {
    return Placeholders.printed(originalClassName, getLocalizedMessage());
  }
}
