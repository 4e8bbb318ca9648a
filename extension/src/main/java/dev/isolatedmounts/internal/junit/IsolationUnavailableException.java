package dev.isolatedmounts.internal.junit;

/**
 * This host cannot start a child JVM in new namespaces; the message lists what was tried and how
 * to enable it.
 */
public class IsolationUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IsolationUnavailableException(String message) {
    super(message);
  }
}
