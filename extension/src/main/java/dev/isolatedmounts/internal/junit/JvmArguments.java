package dev.isolatedmounts.internal.junit;

import java.util.ArrayList;
import java.util.List;

/** Splits JVM options written in one configuration value. */
final class JvmArguments {

  private JvmArguments() {}

  /**
   * Splits at white space, keeping what double quotes enclose together:
   * {@code -Xmx64m "-Dgreeting=hello world"}.
   */
  static List<String> split(String value) {
    List<String> arguments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : value.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          arguments.add(current.toString());
          current.setLength(0);
          any = false;
        }
      } else {
        current.append(c);
        any = true;
      }
    }
    if (any) {
      arguments.add(current.toString());
    }
    return arguments;
  }
}
