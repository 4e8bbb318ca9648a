package dev.isolatedmounts.internal.wire;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.ValueWrapper;

/**
 * Stands in for a subclass of {@link AssertionFailedError} from the child that the parent could
 * not rebuild as its own class without losing the expected or actual value.
 *
 * <p>Being an {@code AssertionFailedError} keeps an IDE's diff of the two values. Like
 * {@link ChildAssertionError}, it keeps the original class name, message, stack trace, cause and
 * suppressed throwables, and prints as the original would.
 */
public final class ChildAssertionFailedError extends AssertionFailedError {

  private final String originalClassName;
  private final String message;

  private ChildAssertionFailedError(String originalClassName, String message, Throwable cause) {
    super(message, cause);
    this.originalClassName = originalClassName;
    this.message = message;
  }

  private ChildAssertionFailedError(String originalClassName, String message,
      ValueWrapper expected, ValueWrapper actual, Throwable cause) {
    super(message, expected, actual, cause); // a wrapper passes through as is
    this.originalClassName = originalClassName;
    this.message = message;
  }

  /** Returns a placeholder with the values that are defined: both or neither, as opentest4j can. */
  static ChildAssertionFailedError of(String originalClassName, String message,
      ValueWrapper expected, ValueWrapper actual, Throwable cause) {
    if (expected == null && actual == null) {
      return new ChildAssertionFailedError(originalClassName, message, cause);
    }
    return new ChildAssertionFailedError(originalClassName, message,
        expected != null ? expected : ValueWrapper.create(null),
        actual != null ? actual : ValueWrapper.create(null), cause);
  }

  /** Returns the fully qualified name of the error's class in the child. */
  public String originalClassName() {
    return originalClassName;
  }

  /** Returns the message exactly: opentest4j turns a null or blank one into {@code ""}. */
  @Override
  public String getMessage() {
    return message;
  }

  /**
   * Returns what opentest4j's {@code toString()} returns for the original: its class name, and
   * the message unless that is empty.
   */
  @Override
  public String toString() {
    return "".equals(message) ? originalClassName : originalClassName + ": " + message;
  }
}
