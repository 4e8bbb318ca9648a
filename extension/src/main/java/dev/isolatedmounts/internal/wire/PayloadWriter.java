package dev.isolatedmounts.internal.wire;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Builds a message payload from big-endian primitives and length-prefixed UTF-8 strings.
 *
 * <p>Not {@code DataOutput.writeUTF}: that caps a string at 64 KiB of modified UTF-8, and an
 * assertion message or a system property can be longer.
 */
final class PayloadWriter {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final int maxStringLength;

  PayloadWriter() {
    this(Integer.MAX_VALUE);
  }

  /**
   * A writer that cuts each string longer than {@code maxStringLength} chars, saying so in the
   * string: for a message that must fit a frame even when the test's own strings do not.
   */
  PayloadWriter(int maxStringLength) {
    this.maxStringLength = maxStringLength;
  }

  void writeByte(int value) {
    bytes.write(value);
  }

  void writeBoolean(boolean value) {
    bytes.write(value ? 1 : 0);
  }

  void writeInt(int value) {
    bytes.write(value >>> 24);
    bytes.write(value >>> 16);
    bytes.write(value >>> 8);
    bytes.write(value);
  }

  void writeLong(long value) {
    writeInt((int) (value >>> 32));
    writeInt((int) value);
  }

  /** Writes the byte length of the UTF-8 encoding, then the bytes. */
  void writeString(String value) {
    byte[] utf8 = cut(value).getBytes(UTF_8);
    writeInt(utf8.length);
    bytes.write(utf8, 0, utf8.length);
  }

  private String cut(String value) {
    if (value.length() <= maxStringLength) {
      return value;
    }
    int end = maxStringLength;
    if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never half a character
    }
    return value.substring(0, end) + "… [" + (value.length() - end)
        + " more characters cut: the message would not fit the frame size limit of the"
        + " connection to the parent JVM]";
  }

  /** Writes a presence flag, then the string if there is one. */
  void writeNullableString(String value) {
    writeBoolean(value != null);
    if (value != null) {
      writeString(value);
    }
  }

  /** Writes an enum constant by name, so reordering the constants never changes the meaning. */
  void writeEnum(Enum<?> value) {
    writeString(value.name());
  }

  /** Writes the entry count, then each key and value, in iteration order. */
  void writeStringMap(Map<String, String> map) {
    writeInt(map.size());
    map.forEach((key, value) -> {
      writeString(key);
      writeString(value);
    });
  }

  byte[] toByteArray() {
    return bytes.toByteArray();
  }
}
