package dev.isolatedmounts.internal.wire;

/**
 * The kind of a {@link Frame}, written as its first byte.
 *
 * <p>The codes are part of the wire format: never reuse or renumber one.
 */
public enum FrameType {

  /** Child to parent, first frame: the child proves it was started by this parent. */
  HELLO(0x01),

  /** Parent to child: which test to run, and the mounts to make first. */
  ASSIGNMENT(0x02),

  /** Child to parent: one {@code TestReporter} entry, published as it happens. */
  REPORT_ENTRY(0x03),

  /** Child to parent, last frame: the outcome of the test. */
  RESULT(0x04),

  /** Child to parent: one file or directory the test published, as it happens. */
  FILE_ENTRY(0x05),

  /**
   * Child to parent, empty: the test method starts (its mounts and {@code @BeforeEach} methods are
   * done), so the parent's JUnit times the method from here.
   */
  METHOD_STARTED(0x06),

  /**
   * Child to parent, empty: the test method returned or threw, before the {@code @AfterEach}
   * methods, so the parent's JUnit stops timing it here.
   */
  METHOD_ENDED(0x07);

  private final byte code;

  FrameType(int code) {
    this.code = (byte) code;
  }

  byte code() {
    return code;
  }

  /** Returns the type with that code, or {@code null} if there is none. */
  static FrameType fromCode(byte code) {
    for (FrameType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }
}
