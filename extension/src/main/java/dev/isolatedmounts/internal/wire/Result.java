package dev.isolatedmounts.internal.wire;

import java.util.Objects;

/**
 * The child's last frame: how the test ended, and why if it did not pass.
 *
 * @param outcome how the test ended
 * @param throwable why it was aborted or failed, or {@code null}; always {@code null} when it
 *     passed
 */
public record Result(Outcome outcome, Throwable throwable) {

  /**
   * The status a child JVM exits with when it could not send its result (sysexits' EX_SOFTWARE),
   * after a last line on stderr that starts with {@link #UNSENT_LINE}: with both, the parent's
   * message says so, rather than blame the test's code, which may exit with 70 too.
   */
  public static final int UNSENT_EXIT_STATUS = 70;

  /** How the child's last line on stderr starts when it could not send its result. */
  public static final String UNSENT_LINE =
      "isolated-mounts: the child JVM could not send the result of its test";

  public Result {
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.SUCCESSFUL && throwable != null) {
      throw new IllegalArgumentException("a successful result has no throwable, but got: "
          + throwable);
    }
  }

  /** Encodes this message as a {@link FrameType#RESULT} payload. */
  public byte[] encode() {
    return encode(Integer.MAX_VALUE);
  }

  /**
   * Encodes this message, cutting each string (messages, expected and actual values) to at most
   * {@code maxStringLength} chars and saying so where it cuts.
   */
  public byte[] encode(int maxStringLength) {
    PayloadWriter out = new PayloadWriter(maxStringLength);
    out.writeEnum(outcome);
    out.writeBoolean(throwable != null);
    if (throwable != null) {
      ThrowableCodec.write(throwable, out);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a {@link FrameType#RESULT} payload.
   *
   * @param payload the bytes {@link #encode()} produced
   * @param loader resolves the throwable's class names, usually the test class's loader
   * @return the message, its throwable rebuilt as {@link ThrowableCodec} describes
   * @throws ProtocolException if the payload is malformed, truncated, over a limit, or has
   *     trailing bytes
   */
  public static Result decode(byte[] payload, ClassLoader loader) throws ProtocolException {
    Objects.requireNonNull(loader, "loader");
    PayloadReader in = new PayloadReader(payload, "RESULT");
    Outcome outcome = in.readEnum(Outcome.class, "outcome");
    boolean hasThrowable = in.readBoolean("throwable presence");
    if (outcome == Outcome.SUCCESSFUL && hasThrowable) {
      throw in.malformed("a SUCCESSFUL result carries a throwable");
    }
    Throwable throwable = hasThrowable ? ThrowableCodec.read(in, loader) : null;
    in.expectEnd();
    return new Result(outcome, throwable);
  }
}
