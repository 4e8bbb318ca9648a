package dev.isolatedmounts.internal.wire;

import java.util.Objects;

/**
 * The child's first frame: proof that it was started by this parent, sent before any mount.
 *
 * @param token the one-time token the parent handed the child on its command line
 * @param pid the child JVM's process id, so the parent can match it to the process it started
 * @param libraryPath where JNA found the system's libraries in the child
 *     ({@code jna.platform.library.path}), for the children after it; empty if unknown
 */
public record Hello(String token, long pid, String libraryPath) {

  public Hello {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(libraryPath, "libraryPath");
  }

  /** Encodes this message as a {@link FrameType#HELLO} payload. */
  public byte[] encode() {
    PayloadWriter out = new PayloadWriter();
    out.writeString(token);
    out.writeLong(pid);
    out.writeString(libraryPath);
    return out.toByteArray();
  }

  /**
   * Decodes a {@link FrameType#HELLO} payload.
   *
   * @param payload the bytes {@link #encode()} produced
   * @return the message
   * @throws ProtocolException if the payload is malformed, truncated or has trailing bytes
   */
  public static Hello decode(byte[] payload) throws ProtocolException {
    PayloadReader in = new PayloadReader(payload, "HELLO");
    Hello hello = new Hello(in.readString("token"), in.readLong("pid"),
        in.readString("libraryPath"));
    in.expectEnd();
    return hello;
  }
}
