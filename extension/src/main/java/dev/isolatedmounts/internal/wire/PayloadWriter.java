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
    byte[] utf8 = value.getBytes(UTF_8);
    writeInt(utf8.length);
    bytes.write(utf8, 0, utf8.length);
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
