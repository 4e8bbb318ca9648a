package dev.isolatedmounts.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads the frames {@link FrameWriter} writes, trusting nothing about them.
 *
 * <p>The declared length is checked against a limit before any buffer is allocated, so a corrupt
 * or hostile length cannot make the parent allocate gigabytes. Not safe for several threads.
 */
public final class FrameReader {

  /** The payload limit the parent uses unless told otherwise: {@value} bytes (16 MiB). */
  public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

  private final InputStream in;
  private final int maxPayloadBytes;

  /**
   * Creates a reader on a stream it does not own: closing the stream stays the caller's job.
   *
   * @param in where the frames come from
   * @param maxPayloadBytes the largest payload accepted; a larger declared length is an error
   */
  public FrameReader(InputStream in, int maxPayloadBytes) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxPayloadBytes < 0) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must not be negative but was: " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * Reads the next frame, blocking until it has arrived in full.
   *
   * @return the frame
   * @throws EOFException if the stream ends cleanly before the next frame starts
   * @throws ProtocolException if the bytes are not a valid frame, or the stream ends inside one
   * @throws IOException if the stream fails
   */
  public Frame read() throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("end of stream before the next frame");
    }
    FrameType type = FrameType.fromCode((byte) first);
    if (type == null) {
      throw new ProtocolException(
          String.format("unknown frame type 0x%02X; expected one of %s", first, knownTypes()));
    }
    byte[] header = in.readNBytes(4);
    if (header.length < 4) {
      throw new ProtocolException(
          "truncated " + type + " frame: expected 4 bytes of length, got " + header.length);
    }
    int length = (header[0] & 0xFF) << 24
        | (header[1] & 0xFF) << 16
        | (header[2] & 0xFF) << 8
        | header[3] & 0xFF;
    if (length < 0) {
      throw new ProtocolException(type + " frame declares a negative length: " + length);
    }
    if (length > maxPayloadBytes) {
      throw new ProtocolException(type + " frame of " + length + " bytes exceeds the limit of "
          + maxPayloadBytes + " bytes");
    }
    byte[] payload = new byte[length];
    int read = in.readNBytes(payload, 0, length);
    if (read < length) {
      throw new ProtocolException("truncated " + type + " frame: expected " + length
          + " bytes of payload, got " + read);
    }
    return new Frame(type, payload);
  }

  private static String knownTypes() {
    StringBuilder known = new StringBuilder();
    for (FrameType type : FrameType.values()) {
      known.append(known.length() == 0 ? "" : ", ")
          .append(String.format("0x%02X (%s)", type.code(), type));
    }
    return known.toString();
  }
}
