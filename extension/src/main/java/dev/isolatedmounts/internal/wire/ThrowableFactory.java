package dev.isolatedmounts.internal.wire;

import dev.isolatedmounts.SystemExitException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;

/**
 * Turns decoded parts back into a throwable: an instance of the original class where that is safe
 * and exact, a placeholder otherwise.
 */
final class ThrowableFactory {

  /** What the wire says about one throwable, its cause and suppressed ones already rebuilt. */
  record Parts(
      String className,
      String message,
      boolean assertionError,
      StackTraceElement[] stackTrace,
      Throwable cause,
      List<Throwable> suppressed) {}

  private static final java.util.regex.Pattern EXIT_STATUS =
      java.util.regex.Pattern.compile("System\\.exit\\((-?[0-9]{1,10})\\)");

  private ThrowableFactory() {}

  /** Returns whether {@code loader} resolves the name of {@code type} to {@code type} itself. */
  static boolean resolvesTo(ClassLoader loader, Class<?> type) {
    try {
      return Class.forName(type.getName(), false, loader) == type;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Returns a new instance of the named class carrying exactly {@code message}, or {@code null}.
   *
   * <p>The class is loaded without initialization and rejected unless it is a concrete
   * {@code Throwable}: only then may its static initializer and a public constructor run, so a
   * payload naming, say, {@code java.lang.ProcessBuilder} makes nothing happen. Private and
   * protected constructors are never used. A class that overrides {@code getMessage()} is
   * rejected too: its constructor's string need not be the message, as {@code
   * FileSystemException(String)} takes a file name, and an equal message would not make the
   * rebuilt fields right (see {@link FileSystemFailures} for those). A class without a message
   * constructor may take the message with its {@code cause}, as {@code UncheckedIOException}
   * does.
   */
  static Throwable instantiate(String className, String message, Throwable cause,
      ClassLoader loader) {
    Class<? extends Throwable> type = concreteThrowable(className, loader);
    if (type == null || !ownMessage(type)) {
      return null;
    }
    if (message == null) {
      Throwable instance = construct(type);
      if (instance != null && instance.getMessage() == null) {
        return instance;
      }
    }
    Throwable instance = construct(type, message);
    if (instance != null && Objects.equals(instance.getMessage(), message)) {
      return instance;
    }
    instance = cause == null ? null : constructWithCause(type, message, cause);
    return instance != null && Objects.equals(instance.getMessage(), message)
        && instance.getCause() == cause ? instance : null;
  }

  /**
   * Completes {@code candidate} with the stack trace, cause and suppressed throwables, or returns a
   * placeholder if the candidate is {@code null} or does not take them exactly.
   */
  static Throwable assemble(Throwable candidate, Parts parts) {
    if (candidate != null && completes(candidate, parts)) {
      return candidate;
    }
    Throwable placeholder = NamedPlaceholders.of(parts.className(), parts.assertionError(),
        parts.message(), parts.cause());
    placeholder.setStackTrace(parts.stackTrace());
    parts.suppressed().forEach(placeholder::addSuppressed);
    return placeholder;
  }

  private static boolean completes(Throwable candidate, Parts parts) {
    try {
      if (!Objects.equals(candidate.getMessage(), parts.message())) {
        return false;
      }
      if (candidate.getCause() != parts.cause()) {
        candidate.initCause(parts.cause());
      }
      candidate.setStackTrace(parts.stackTrace());
      parts.suppressed().forEach(candidate::addSuppressed);
      // A throwable made with writableStackTrace or enableSuppression off ignores what it is given.
      return candidate.getStackTrace().length == parts.stackTrace().length
          && candidate.getSuppressed().length == parts.suppressed().size();
    } catch (RuntimeException e) {
      // initCause refuses a cause when the constructor set one; a class may also override these
      // methods to throw. Either way the placeholder keeps what the wire said.
      return false;
    }
  }

  /**
   * Returns the named class if it is a concrete {@code Throwable}, loaded without initialization;
   * {@code null} otherwise.
   */
  static Class<? extends Throwable> concreteThrowable(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    if (!Throwable.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
      return null;
    }
    return type.asSubclass(Throwable.class);
  }

  /** Returns whether {@code getMessage()} of {@code type} is declared by {@code declarer}. */
  static boolean messageDeclaredBy(Class<? extends Throwable> type, Class<?> declarer) {
    try {
      return type.getMethod("getMessage").getDeclaringClass() == declarer;
    } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static boolean ownMessage(Class<? extends Throwable> type) {
    // NullPointerException overrides getMessage() only to describe a null the JVM met when
    // there is no message: one made with a message returns exactly that.
    return messageDeclaredBy(type, Throwable.class) || type == NullPointerException.class;
  }

  /** A public constructor taking the message and a throwable of the cause's type, if any. */
  private static Throwable constructWithCause(Class<? extends Throwable> type, String message,
      Throwable cause) {
    try {
      for (Constructor<?> constructor : type.getConstructors()) {
        Class<?>[] parameters = constructor.getParameterTypes();
        if (parameters.length == 2 && parameters[0] == String.class
            && Throwable.class.isAssignableFrom(parameters[1])
            && parameters[1].isInstance(cause)) {
          return (Throwable) constructor.newInstance(message, cause);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // class not public, it threw, or init failed
    }
    return null;
  }

  private static Throwable construct(Class<? extends Throwable> type) {
    try {
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // no such public constructor, class not public, it threw, or init failed
    }
  }

  private static Throwable construct(Class<? extends Throwable> type, String message) {
    if (type == AssertionError.class) {
      // What assert statements and Hamcrest throw: its message constructor takes an Object.
      return new AssertionError((Object) message);
    }
    if (type == SystemExitException.class) {
      // Its constructor takes the status, which its message names first.
      java.util.regex.Matcher status = EXIT_STATUS.matcher(String.valueOf(message));
      try {
        return status.lookingAt() ? new SystemExitException(Integer.parseInt(status.group(1)))
            : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      return type.getConstructor(String.class).newInstance(message);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // no such public constructor, class not public, it threw, or init failed
    }
  }
}
