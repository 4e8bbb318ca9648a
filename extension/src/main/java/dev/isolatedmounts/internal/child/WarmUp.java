package dev.isolatedmounts.internal.child;

import org.junit.jupiter.api.Test;

/**
 * The test a child runs through its launcher before its real test is known (see {@link
 * SingleTestRunner#prepare}). The first test a JVM runs pays for loading and linking most of
 * JUnit; the second costs a few milliseconds. Whether it passes does not matter; it must only not
 * touch anything of the user's, so it is run without the configuration of the class path or
 * system properties.
 */
final class WarmUp {

  static final String UNIQUE_ID = "[engine:junit-jupiter]/[class:" + WarmUpTestCase.class.getName()
      + "]/[method:warmUp()]";

  private WarmUp() {}

  /** The test that warms up: a constructor, a test method, nothing else. */
  static final class WarmUpTestCase {
    @Test
    void warmUp() {
      // nothing: what it costs to get here is the point
    }
  }
}
