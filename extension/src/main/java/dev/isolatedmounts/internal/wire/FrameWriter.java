package dev.isolatedmounts.internal.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes frames: one type byte, the payload length as a 4-byte big-endian int, the payload.
 *
 * <p>Safe for several threads: a test may publish report entries from threads of its own while
 * the child's main thread writes the result, and frames must not interleave.
 */
public final class FrameWriter {

  private final OutputStream out;

  /**
   * Creates a writer on a stream it does not own: closing the stream stays the caller's job.
   *
   * @param out where the frames go
   */
  public FrameWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Writes one frame and flushes, so the other side sees it at once.
   *
   * @param type what the payload encodes
   * @param payload the encoded message
   * @throws IOException if the stream fails
   */
  public synchronized void write(FrameType type, byte[] payload) throws IOException {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    int length = payload.length;
    byte[] header = {
      type.code(),
      (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
    };
    out.write(header);
    out.write(payload);
    out.flush();
  }
}
