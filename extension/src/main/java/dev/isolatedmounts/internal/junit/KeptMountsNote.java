package dev.isolatedmounts.internal.junit;

/**
 * Attached to a failed isolated test's exception (suppressed) when its mounts were kept: where
 * they are, and the command that rebuilds the namespace by hand. Carries no stack trace, which
 * would only point at this extension.
 */
public final class KeptMountsNote extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String directory;
  private final String command;

  KeptMountsNote(String message, String directory, String command) {
    super(message, null, false, false);
    this.directory = directory;
    this.command = command;
  }

  /** The directory holding the kept files, relative to the working directory. */
  public String directory() {
    return directory;
  }

  /** The one-line shell command that rebuilds the namespace. */
  public String command() {
    return command;
  }
}
