package dev.isolatedmounts.sample.kvstore;

import java.util.Objects;
import java.util.regex.Pattern;

/** The rule for keys, which are used verbatim as file names in the data directory. */
final class Keys {

  /** Longest key; far below the 255-byte NAME_MAX of Linux file systems. */
  static final int MAX_LENGTH = 128;

  // No '/', and no leading '.': so no key can leave the data directory ("..", "../x"), and no key
  // can collide with the store's own hidden temporary files.
  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

  private Keys() {}

  static boolean isValid(String key) {
    return VALID.matcher(key).matches();
  }

  static String requireValid(String key) {
    Objects.requireNonNull(key, "key");
    if (!isValid(key)) {
      throw new IllegalArgumentException(
          "Invalid key '"
              + key
              + "': a key is 1 to "
              + MAX_LENGTH
              + " characters of A-Z a-z 0-9 . _ - and does not start with '.'");
    }
    return key;
  }
}
