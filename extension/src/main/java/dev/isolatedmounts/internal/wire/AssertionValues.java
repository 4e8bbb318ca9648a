package dev.isolatedmounts.internal.wire;

import org.opentest4j.ValueWrapper;

/**
 * Writes and reads the expected or actual value of an {@code AssertionFailedError}, so that an
 * IDE's diff of a failed test in the parent shows what the child saw.
 *
 * <p>The string representation always travels. The value itself travels only when it is null, a
 * {@code String} (once, when it is its own representation) or a boxed primitive: those are
 * rebuilt without running any code from the payload. Any other value is replaced by its string
 * representation, which is what a diff shows anyway.
 * The type name travels too, but opentest4j takes a value's type from the value, so the parent
 * cannot restore it for values that did not travel.
 */
final class AssertionValues {

  private static final byte NOT_SENT = 0;
  private static final byte NULL = 1;
  private static final byte STRING = 2;
  private static final byte BOOLEAN = 3;
  private static final byte CHARACTER = 4;
  private static final byte BYTE = 5;
  private static final byte SHORT = 6;
  private static final byte INTEGER = 7;
  private static final byte LONG = 8;
  private static final byte FLOAT = 9;
  private static final byte DOUBLE = 10;
  // A string that is its own representation, as every String's is: sent once, not twice.
  private static final byte STRING_AS_REPRESENTATION = 11;

  private AssertionValues() {}

  /** Writes a value; {@code null} means "not defined", unlike a wrapper around null. */
  static void write(ValueWrapper wrapper, PayloadWriter out) {
    out.writeBoolean(wrapper != null);
    if (wrapper == null) {
      return;
    }
    out.writeNullableString(wrapper.getStringRepresentation());
    out.writeNullableString(wrapper.getType() == null ? null : wrapper.getType().getName());
    Object value = wrapper.getEphemeralValue();
    if (wrapper.getType() == null) {
      out.writeByte(NULL);
    } else if (value instanceof String string
        && string.equals(wrapper.getStringRepresentation())) {
      out.writeByte(STRING_AS_REPRESENTATION);
    } else if (value instanceof String string) {
      out.writeByte(STRING);
      out.writeString(string);
    } else if (value instanceof Boolean bool) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(bool);
    } else if (value instanceof Character character) {
      out.writeByte(CHARACTER);
      out.writeInt(character);
    } else if (value instanceof Byte number) {
      out.writeByte(BYTE);
      out.writeByte(number);
    } else if (value instanceof Short number) {
      out.writeByte(SHORT);
      out.writeInt(number);
    } else if (value instanceof Integer number) {
      out.writeByte(INTEGER);
      out.writeInt(number);
    } else if (value instanceof Long number) {
      out.writeByte(LONG);
      out.writeLong(number);
    } else if (value instanceof Float number) {
      out.writeByte(FLOAT);
      out.writeInt(Float.floatToRawIntBits(number));
    } else if (value instanceof Double number) {
      out.writeByte(DOUBLE);
      out.writeLong(Double.doubleToRawLongBits(number));
    } else {
      out.writeByte(NOT_SENT);
    }
  }

  /** Reads a value; returns {@code null} if it was not defined. */
  static ValueWrapper read(PayloadReader in, String field) throws ProtocolException {
    if (!in.readBoolean(field + " defined")) {
      return null;
    }
    String representation = in.readNullableString(field + " string representation");
    in.readNullableString(field + " type");
    byte tag = in.readByte(field + " value tag");
    Object value = switch (tag) {
      case NOT_SENT -> representation;
      case NULL -> null;
      case STRING -> in.readString(field);
      case STRING_AS_REPRESENTATION -> representation(representation, in, field);
      case BOOLEAN -> in.readBoolean(field);
      case CHARACTER -> readChar(in, field);
      case BYTE -> in.readByte(field);
      case SHORT -> readShort(in, field);
      case INTEGER -> in.readInt(field);
      case LONG -> in.readLong(field);
      case FLOAT -> Float.intBitsToFloat(in.readInt(field));
      case DOUBLE -> Double.longBitsToDouble(in.readLong(field));
      default -> throw in.malformed("unknown value tag " + tag + " for " + field);
    };
    return ValueWrapper.create(value, representation);
  }

  private static String representation(String representation, PayloadReader in, String field)
      throws ProtocolException {
    if (representation == null) {
      throw in.malformed(field + " is its string representation, but there is none");
    }
    return representation;
  }

  private static char readChar(PayloadReader in, String field) throws ProtocolException {
    int value = in.readInt(field);
    if (value < Character.MIN_VALUE || value > Character.MAX_VALUE) {
      throw in.malformed(field + " is not a char: " + value);
    }
    return (char) value;
  }

  private static short readShort(PayloadReader in, String field) throws ProtocolException {
    int value = in.readInt(field);
    if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
      throw in.malformed(field + " is not a short: " + value);
    }
    return (short) value;
  }
}
