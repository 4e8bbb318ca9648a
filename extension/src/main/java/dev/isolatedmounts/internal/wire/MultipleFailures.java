package dev.isolatedmounts.internal.wire;

import java.util.List;
import java.util.Objects;
import org.opentest4j.MultipleFailuresError;

/** Takes a {@code MultipleFailuresError} apart and puts it back together. */
final class MultipleFailures {

  private MultipleFailures() {}

  /**
   * Returns the heading the error was made with, or {@code null} if it cannot be recovered.
   *
   * <p>opentest4j keeps the heading private and exposes only {@code getMessage()}: the heading,
   * then {@code " (N failures)"} and a line per failure. The heading may itself contain that
   * marker, so each candidate is checked by making the message again.
   */
  static String headingOf(MultipleFailuresError error) {
    try {
      return recoverHeading(error);
    } catch (RuntimeException | Error e) {
      return null; // the message is made of each failure's, which the test's own code makes
    }
  }

  private static String recoverHeading(MultipleFailuresError error) {
    String message = error.getMessage();
    List<Throwable> failures = error.getFailures();
    if (failures.isEmpty()) {
      return message;
    }
    String marker = " (" + failures.size() + " failure";
    for (int at = message.indexOf(marker); at >= 0; at = message.indexOf(marker, at + 1)) {
      String candidate = message.substring(0, at);
      if (new MultipleFailuresError(candidate, failures).getMessage().equals(message)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Returns a new error, or {@code null} if the loader resolves the class name to another class
   * than the one this package sees.
   *
   * <p>An exact {@code MultipleFailuresError} whose heading travelled and whose failures all did
   * is rebuilt as itself; any other (a subclass such as AssertJ's, a heading that could not be
   * recovered, failures or strings cut on the wire) becomes a
   * {@link ChildMultipleFailuresError} with the child's message and the failures that travelled. The failures are not added as suppressed:
   * the constructor does not do it, and where {@code assertAll} did, the suppressed list travels
   * on its own.
   */
  static MultipleFailuresError rebuild(String className, String heading, String message,
      List<Throwable> failures, Throwable cause, ClassLoader loader) {
    if (!ThrowableFactory.resolvesTo(loader, MultipleFailuresError.class)) {
      return null;
    }
    if (heading != null && !failures.contains(null)
        && className.equals(MultipleFailuresError.class.getName())) {
      MultipleFailuresError rebuilt = new MultipleFailuresError(heading, failures);
      // Not when a string was cut on the wire: the message would be made of the cut ones.
      if (Objects.equals(rebuilt.getMessage(), message)) {
        return rebuilt;
      }
    }
    List<Throwable> travelled = failures.stream().filter(Objects::nonNull).toList();
    return new ChildMultipleFailuresError(className, message, travelled, cause);
  }
}
