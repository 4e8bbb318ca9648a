package dev.isolatedmounts.internal.wire;

import java.util.List;
import org.opentest4j.MultipleFailuresError;

/**
 * Stands in for a {@link MultipleFailuresError} from the child that the parent could not rebuild
 * as its own class: a subclass, such as the one AssertJ's soft assertions throw, or one whose
 * heading could not be recovered.
 *
 * <p>Being a {@code MultipleFailuresError} keeps what an IDE shows of it: each failure, with its
 * expected and actual values. Like {@link ChildAssertionError}, it keeps the original class name
 * and the exact message, stack trace, cause and suppressed throwables, and prints as the original
 * would.
 */
public final class ChildMultipleFailuresError extends MultipleFailuresError {

  private final String originalClassName;
  private final String message;

  ChildMultipleFailuresError(String originalClassName, String message, List<Throwable> failures,
      Throwable cause) {
    super(null, failures); // the heading is never shown: the message is the child's
    this.originalClassName = originalClassName;
    this.message = message;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** Returns the fully qualified name of the error's class in the child. */
  public String originalClassName() {
    return originalClassName;
  }

  /** Returns the message exactly as the original's {@code getMessage()} returned it. */
  @Override
  public String getMessage() {
    return message;
  }

  /** Returns what the original's {@code toString()} typically returned: class name and message. */
  @Override
  public String toString() {
    return Placeholders.printed(originalClassName, getLocalizedMessage());
  }
}
