package dev.isolatedmounts.internal.wire;

import java.nio.file.FileSystemException;
import java.util.Objects;

/**
 * Takes a {@link FileSystemException} apart and puts it back together: the failures a test of
 * file system code meets most ({@code NoSuchFileException}, {@code AccessDeniedException}, a
 * write under a read-only root), whose message the class makes from the file, the other file and
 * the reason, so that the generic rules, which need the message's own constructor, cannot.
 */
final class FileSystemFailures {

  /** What {@code FileSystemException}'s getters return, each possibly null. */
  record Parts(String file, String otherFile, String reason) {}

  private FileSystemFailures() {}

  /** Returns the parts, or {@code null} if one of the getters, a subclass's, threw. */
  static Parts partsOf(FileSystemException failure) {
    try {
      return new Parts(failure.getFile(), failure.getOtherFile(), failure.getReason());
    } catch (RuntimeException | Error e) {
      return null;
    }
  }

  /**
   * Returns a new instance of the named class with exactly these parts and {@code message}, or
   * {@code null}: through its public {@code (file, otherFile, reason)} constructor, or its
   * {@code (file)} one when the other two are null, as the JDK's subclasses have. The class must
   * be a concrete {@code FileSystemException} that makes its message as that class does.
   */
  static Throwable rebuild(String className, String message, Parts parts, ClassLoader loader) {
    Class<? extends Throwable> type = ThrowableFactory.concreteThrowable(className, loader);
    if (type == null || !FileSystemException.class.isAssignableFrom(type)
        || !ThrowableFactory.messageDeclaredBy(type, FileSystemException.class)) {
      return null;
    }
    Throwable instance = construct(type, parts);
    return instance instanceof FileSystemException rebuilt
        && Objects.equals(rebuilt.getMessage(), message)
        && Objects.equals(partsOf(rebuilt), parts) ? rebuilt : null;
  }

  private static Throwable construct(Class<? extends Throwable> type, Parts parts) {
    try {
      return type.getConstructor(String.class, String.class, String.class)
          .newInstance(parts.file(), parts.otherFile(), parts.reason());
    } catch (NoSuchMethodException e) {
      // DirectoryNotEmptyException, NotDirectoryException, FileSystemLoopException: a file only
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // class not public, it threw, or init failed
    }
    if (parts.otherFile() != null || parts.reason() != null) {
      return null;
    }
    try {
      return type.getConstructor(String.class).newInstance(parts.file());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
