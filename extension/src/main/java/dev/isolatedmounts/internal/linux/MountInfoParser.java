package dev.isolatedmounts.internal.linux;

import java.util.Arrays;
import java.util.List;

/** Parses lines of {@code /proc/<pid>/mountinfo} into {@link MountEntry} values. */
final class MountInfoParser {

  // Fields before the optional ones: id, parent id, major:minor, root, mount point, options.
  private static final int FIXED_FIELDS = 6;
  // Fields after the " - " separator: type, source, super options.
  private static final int TRAILING_FIELDS = 3;

  private MountInfoParser() {}

  /**
   * Parses one line (without its newline).
   *
   * @param lineNumber the 1-based line number, for the message of a malformed line
   * @throws IllegalArgumentException naming the line if it is not a mountinfo line
   */
  static MountEntry parseLine(String line, int lineNumber) {
    // The kernel escapes spaces in every field, so a single space always separates fields; a
    // limit of -1 keeps an empty source ("- tmpfs  rw") as an empty field.
    String[] fields = line.split(" ", -1);
    int separator = indexOfSeparator(fields);
    if (separator < 0) {
      throw malformed(line, lineNumber, "no \" - \" separator after the first 6 fields");
    }
    if (fields.length - separator - 1 != TRAILING_FIELDS) {
      throw malformed(line, lineNumber, "expected 3 fields after \" - \" (type, source, options)");
    }
    try {
      return new MountEntry(
          Integer.parseInt(fields[0]),
          Integer.parseInt(fields[1]),
          fields[2],
          unescape(fields[3]),
          unescape(fields[4]),
          options(fields[5]),
          List.of(Arrays.copyOfRange(fields, FIXED_FIELDS, separator)),
          unescape(fields[separator + 1]),
          unescape(fields[separator + 2]),
          options(fields[separator + 3]));
    } catch (NumberFormatException e) {
      throw malformed(line, lineNumber, "mount id and parent id must be numbers");
    }
  }

  /**
   * Decodes the kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \012}
   * newline, {@code \134} backslash, {@code \043} hash); any other backslash is kept as is.
   */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder decoded = new StringBuilder(field.length());
    int i = 0;
    while (i < field.length()) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        decoded.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 4;
      } else {
        decoded.append(c);
        i++;
      }
    }
    return decoded.toString();
  }

  private static boolean isOctal(String field, int start) {
    if (start + 3 > field.length()) {
      return false;
    }
    for (int i = start; i < start + 3; i++) {
      char c = field.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  private static int indexOfSeparator(String[] fields) {
    for (int i = FIXED_FIELDS; i < fields.length; i++) {
      if (fields[i].equals("-")) {
        return i;
      }
    }
    return -1;
  }

  // Split before decoding, so that an escaped comma (\054) in a value stays inside its option.
  private static List<String> options(String field) {
    if (field.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(field.split(",", -1)).map(MountInfoParser::unescape).toList();
  }

  private static IllegalArgumentException malformed(String line, int lineNumber, String reason) {
    return new IllegalArgumentException(
        "Malformed mountinfo line " + lineNumber + " (" + reason + "): " + line);
  }
}
