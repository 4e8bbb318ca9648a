package dev.isolatedmounts.internal.plan;

import java.util.regex.Pattern;

/** Validates {@code @Tmpfs} size and mode strings before they reach the kernel. */
final class OptionRules {

  private static final Pattern SIZE = Pattern.compile("[0-9]+[kKmMgG]?|[0-9]{1,3}%");
  private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
  private static final Pattern OCTAL = Pattern.compile("[0-7]+");

  private OptionRules() {}

  static String size(String value, String where) {
    if (value.isEmpty()) {
      return value;
    }
    if (SIZE.matcher(value).matches()) {
      String digits = value.replaceAll("[^0-9]", "");
      if (new java.math.BigInteger(digits).signum() == 0) {
        throw PathRules.invalid("@Tmpfs", "size", value, where, "must be more than zero, but was \""
            + value + "\": the kernel takes a size of 0 as no limit at all; leave size out for"
            + " the kernel's default (half of RAM), or give a limit such as \"64k\"");
      }
      if (digits.startsWith("0")) {
        String meant = value.replaceFirst("^0+", "");
        throw PathRules.invalid("@Tmpfs", "size", value, where, "must not start with 0, but was"
            + " \"" + value + "\": the kernel reads a leading 0 as an octal number (\"010m\" is"
            + " 8m, \"08m\" an error); write \"" + meant + "\"");
      }
      if (!value.endsWith("%") && bytes(digits, value).bitLength() > 63) {
        throw PathRules.invalid("@Tmpfs", "size", value, where, "must be at most 2^63 - 1 bytes,"
            + " but was \"" + value + "\", " + bytes(digits, value) + " bytes: the kernel would"
            + " wrap it around to another size, or to 0, no limit at all; give a limit such as"
            + " \"1g\", or leave size out for the kernel's default (half of RAM)");
      }
      return value;
    }
    throw PathRules.invalid("@Tmpfs", "size", value, where,
        "must be a number of bytes with an optional k, m or g suffix, either case (\"64k\","
            + " \"4m\", \"1g\"), or a percentage of RAM up to 999 (\"10%\"), but was \""
            + value + "\"");
  }

  private static java.math.BigInteger bytes(String digits, String value) {
    int shift = switch (Character.toLowerCase(value.charAt(value.length() - 1))) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    return new java.math.BigInteger(digits).shiftLeft(shift);
  }

  static int mode(String value, String where) {
    if (MODE.matcher(value).matches()) {
      return Integer.parseInt(value, 8);
    }
    throw PathRules.invalid("@Tmpfs", "mode", value, where,
        "must be octal permissions such as \"0755\" or \"0700\" ("
            + (OCTAL.matcher(value).matches() ? "three or four digits" : "digits 0-7 only")
            + "), but was \"" + value + "\"");
  }
}
