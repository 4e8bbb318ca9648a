package dev.isolatedmounts.internal.wire;

import java.io.IOException;

/** Thrown when bytes from the other JVM do not form a valid frame or message. */
public final class ProtocolException extends IOException {

  /**
   * Creates an exception that says what was wrong with the bytes.
   *
   * @param message what was expected and what arrived
   */
  public ProtocolException(String message) {
    super(message);
  }
}
