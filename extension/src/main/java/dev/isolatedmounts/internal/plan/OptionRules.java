package dev.isolatedmounts.internal.plan;

import java.util.regex.Pattern;

/** Validates {@code @Tmpfs} size and mode strings before they reach the kernel. */
final class OptionRules {

  private static final Pattern SIZE = Pattern.compile("[0-9]{1,18}[kKmMgG]?|[0-9]{1,3}%");
  private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");

  private OptionRules() {}

  static String size(String value, String where) {
    if (value.isEmpty()) {
      return value;
    }
    if (SIZE.matcher(value).matches()) {
      if (Long.parseLong(value.replaceAll("[^0-9]", "")) == 0) {
        throw PathRules.invalid("@Tmpfs", "size", value, where, "must be more than zero, but was \""
            + value + "\": the kernel takes a size of 0 as no limit at all; leave size out for"
            + " the kernel's default (half of RAM), or give a limit such as \"64k\"");
      }
      return value;
    }
    throw PathRules.invalid("@Tmpfs", "size", value, where,
        "must be a number of bytes with an optional k, m or g suffix (\"64k\", \"4m\", \"1g\")"
            + " or a percentage of RAM (\"10%\"), but was \"" + value + "\"");
  }

  static int mode(String value, String where) {
    if (MODE.matcher(value).matches()) {
      return Integer.parseInt(value, 8);
    }
    throw PathRules.invalid("@Tmpfs", "mode", value, where,
        "must be octal permissions such as \"0755\" or \"0700\" (digits 0-7 only),"
            + " but was \"" + value + "\"");
  }
}
