package dev.isolatedmounts.internal.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what {@link PayloadWriter} writes, strictly: every malformed input is a
 * {@link ProtocolException} naming the message, the field and what was wrong.
 *
 * <p>Counts and lengths are checked against what remains before anything is allocated.
 */
final class PayloadReader {

  private final byte[] bytes;
  private final String message;
  private int position;

  /**
   * Creates a reader over a whole payload.
   *
   * @param bytes the payload
   * @param message the message being decoded, for error messages, e.g. {@code "HELLO"}
   */
  PayloadReader(byte[] bytes, String message) {
    this.bytes = bytes;
    this.message = message;
  }

  byte readByte(String field) throws ProtocolException {
    require(1, field);
    return bytes[position++];
  }

  boolean readBoolean(String field) throws ProtocolException {
    byte value = readByte(field);
    if (value != 0 && value != 1) {
      throw malformed(field + " must be a boolean (0 or 1) but was " + value);
    }
    return value == 1;
  }

  int readInt(String field) throws ProtocolException {
    require(4, field);
    int value = (bytes[position] & 0xFF) << 24
        | (bytes[position + 1] & 0xFF) << 16
        | (bytes[position + 2] & 0xFF) << 8
        | bytes[position + 3] & 0xFF;
    position += 4;
    return value;
  }

  long readLong(String field) throws ProtocolException {
    long high = readInt(field);
    return high << 32 | readInt(field) & 0xFFFF_FFFFL;
  }

  String readString(String field) throws ProtocolException {
    int length = readInt(field + " length");
    if (length < 0) {
      throw malformed(field + " has a negative length: " + length);
    }
    require(length, field);
    try {
      // String(byte[], UTF_8) would silently replace malformed input; a strict decoder reports it.
      String value = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, position, length))
          .toString();
      position += length;
      return value;
    } catch (CharacterCodingException e) {
      throw malformed(field + " is not valid UTF-8");
    }
  }

  String readNullableString(String field) throws ProtocolException {
    return readBoolean(field + " presence") ? readString(field) : null;
  }

  /** Reads a count, rejecting a negative one or one over {@code max}. */
  int readCount(String field, int max) throws ProtocolException {
    int count = readInt(field + " count");
    if (count < 0) {
      throw malformed(field + " count is negative: " + count);
    }
    if (count > max) {
      throw malformed(field + " count " + count + " exceeds the limit of " + max);
    }
    return count;
  }

  <E extends Enum<E>> E readEnum(Class<E> type, String field) throws ProtocolException {
    String name = readString(field);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    throw malformed("unknown " + type.getSimpleName() + " \"" + name + "\" for " + field
        + "; expected one of " + Arrays.toString(type.getEnumConstants()));
  }

  /** Reads a map written by {@link PayloadWriter#writeStringMap}, keeping its order. */
  Map<String, String> readStringMap(String field, int maxEntries) throws ProtocolException {
    int count = readCount(field, maxEntries);
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = readString(field + " key");
      String value = readString(field + " value");
      if (map.put(key, value) != null) {
        throw malformed(field + " has the key \"" + key + "\" twice");
      }
    }
    return map;
  }

  /** Rejects trailing bytes: a payload that says more than its message is not trusted. */
  void expectEnd() throws ProtocolException {
    int remaining = bytes.length - position;
    if (remaining != 0) {
      throw malformed(remaining + " trailing bytes after the last field");
    }
  }

  ProtocolException malformed(String detail) {
    return new ProtocolException("malformed " + message + " payload at offset " + position + ": "
        + detail);
  }

  private void require(int count, String field) throws ProtocolException {
    int remaining = bytes.length - position;
    if (remaining < count) {
      throw new ProtocolException("truncated " + message + " payload: " + field + " needs "
          + count + " bytes at offset " + position + ", only " + remaining + " remain");
    }
  }
}
