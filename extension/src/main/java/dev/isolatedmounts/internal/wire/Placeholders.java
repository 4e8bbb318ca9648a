package dev.isolatedmounts.internal.wire;

/** What the placeholders for a child's throwables share: they print as the original would. */
final class Placeholders {

  private Placeholders() {}

  /** What a throwable's {@code toString()} typically returns: its class name and message. */
  static String printed(String originalClassName, String message) {
    return message == null ? originalClassName : originalClassName + ": " + message;
  }
}
