package dev.isolatedmounts.internal.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Copies string maps for the messages: ordered, unmodifiable, without nulls. */
final class StringMaps {

  /** The most entries a decoded map may have; far above any real system property count. */
  static final int MAX_ENTRIES = 65_536;

  private StringMaps() {}

  /**
   * Returns an unmodifiable copy that keeps the iteration order of {@code map}.
   *
   * <p>Not {@code Map.copyOf}: its order is unspecified, and the order of system properties and
   * report entries is what the user saw.
   */
  static Map<String, String> orderedCopy(Map<String, String> map, String name) {
    Objects.requireNonNull(map, name);
    Map<String, String> copy = new LinkedHashMap<>();
    // A loop, not lambdas: each child runs this first thing, and a lambda is linked per JVM.
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getKey() == null) {
        throw new NullPointerException(name + " must not contain a null key");
      }
      if (entry.getValue() == null) {
        throw new NullPointerException(
            name + " must not contain a null value for " + entry.getKey());
      }
      copy.put(entry.getKey(), entry.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }
}
