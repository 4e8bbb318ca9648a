package dev.isolatedmounts.internal.junit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Splits JVM options written in one configuration value. */
final class JvmArguments {

  private JvmArguments() {}

  /**
   * Splits the value of the configuration parameter {@code setting} at white space, keeping what
   * double quotes enclose together: {@code -Xmx64m "-Dgreeting=hello world"}. A quote left open
   * is refused: splitting anyway would hand the child options the user did not write.
   */
  static List<String> split(String setting, String value) {
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
    if (quoted) {
      throw new ExtensionConfigurationException("Configuration parameter " + setting
          + " has a double quote that is not closed: \"" + value.strip() + "\". Quotes keep an"
          + " option with white space together, as in -Xmx64m \"-Dgreeting=hello world\": close"
          + " the quote, or remove it (a value cannot contain a double quote itself; use"
          + " @IsolatedMounts(jvmArgs = ...), whose entries are taken as they are).");
    }
    if (any) {
      arguments.add(current.toString());
    }
    if (arguments.contains("")) {
      throw new ExtensionConfigurationException("Configuration parameter " + setting
          + " has an empty option (\"\"): \"" + value.strip() + "\". The java launcher would"
          + " take it for the name of the main class, and the child would not start: remove it.");
    }
    return arguments;
  }
}
