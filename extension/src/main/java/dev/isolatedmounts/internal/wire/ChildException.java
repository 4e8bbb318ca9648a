package dev.isolatedmounts.internal.wire;

/**
 * Stands in for an exception from the child that the parent could not rebuild as its own class.
 *
 * <p>It keeps the original class name, message, stack trace, cause and suppressed exceptions, and
 * prints as the original would: {@code toString()} starts with the original class name, not this
 * one. Used when the original was not an {@link AssertionError}; see {@link ChildAssertionError}.
 */
public class ChildException extends RuntimeException {

  private final String originalClassName;

  /** Public for the subclasses named as the originals ({@link NamedPlaceholders}). */
  public ChildException(String originalClassName, String message, Throwable cause) {
    super(message, cause);
    this.originalClassName = originalClassName;
  }

  /** Returns the fully qualified name of the exception's class in the child. */
  public final String originalClassName() {
    return originalClassName;
  }

  /** Returns what the original's {@code toString()} typically returned: class name and message. */
  @Override
  public final String toString() {
    return Placeholders.printed(originalClassName, getLocalizedMessage());
  }
}
