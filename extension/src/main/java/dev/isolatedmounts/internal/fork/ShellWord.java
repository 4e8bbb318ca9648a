package dev.isolatedmounts.internal.fork;

import java.util.regex.Pattern;

/** One word of a command that a user copies into sh. */
public final class ShellWord {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=,:@%+-]+");

  private ShellWord() {}

  /** Quotes {@code word} for sh: as it is when safe, else in single quotes. */
  public static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
