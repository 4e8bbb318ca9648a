package dev.isolatedmounts.internal.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One frame: a type and the encoded message it carries.
 *
 * <p>The payload array is not copied (frames can be megabytes): whoever makes a frame hands the
 * array over and must not change it afterwards.
 *
 * @param type what the payload encodes
 * @param payload the encoded message
 */
public record Frame(FrameType type, byte[] payload) {

  public Frame {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frame frame
        && type == frame.type
        && Arrays.equals(payload, frame.payload);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Frame[" + type + ", " + payload.length + " bytes]";
  }
}
