package dev.isolatedmounts.internal.wire;

import java.util.Objects;

/**
 * Carries a throwable from the child to the parent as plain structure, never as a serialized
 * object.
 *
 * <p>What travels: per throwable its class name, message, whether it is an {@link AssertionError},
 * its stack trace, cause and suppressed throwables, and for opentest4j's
 * {@code AssertionFailedError} and {@code MultipleFailuresError} and their subclasses the expected
 * and actual values or the failures, and for a {@code FileSystemException} its file, other file
 * and reason. A throwable that appears twice (as {@code assertAll} adds each failure both to the
 * {@code MultipleFailuresError} and to its suppressed list) travels once and is referred to after.
 *
 * <p>What is cut, so that any throwable encodes in bounded space and time: a cause or suppressed
 * throwable that closes a cycle, anything nested deeper than {@value #MAX_DEPTH}, stack frames past
 * the first {@value #MAX_STACK_FRAMES}, suppressed throwables past the first
 * {@value #MAX_SUPPRESSED}, and throwables past the first {@value #MAX_THROWABLES} in all. The
 * decoder rejects input beyond these limits instead of cutting it.
 *
 * <p>How the parent rebuilds each throwable: an exact {@code AssertionFailedError} or
 * {@code MultipleFailuresError} through opentest4j's public API; a subclass of either as a
 * {@link ChildAssertionFailedError} or {@link ChildMultipleFailuresError}, which keep the values or
 * the failures (a subclass without values as itself, by the rules that follow, if it can be);
 * any other class as itself if the
 * given class loader finds it, it is a concrete {@code Throwable} that does not override
 * {@code getMessage()} ({@code NullPointerException}, whose override keeps a given message, aside),
 * and a public {@code (String)} or no-arg constructor reproduces the message
 * exactly ({@code java.lang.AssertionError}, whose message constructor takes an {@code Object},
 * included), or else a public constructor taking the message and the cause
 * ({@code UncheckedIOException}); a {@code FileSystemException} ({@code NoSuchFileException} and
 * the like) through its public {@code (file, otherFile, reason)} or {@code (file)} constructor.
 * Everything else becomes a {@link ChildAssertionError} (if the original was an
 * {@code AssertionError}) or a {@link ChildException}, which keep the original's class name and
 * print like it. A class named in the payload is initialized only after it is known to be a
 * {@code Throwable}.
 */
public final class ThrowableCodec {

  /** Throwables nest at most this deep: the root is at depth 0. */
  static final int MAX_DEPTH = 32;

  /** Stack frames kept per throwable, from the top: the deepest frames matter least. */
  static final int MAX_STACK_FRAMES = 1024;

  /** Suppressed throwables (and failures of a {@code MultipleFailuresError}) kept per throwable. */
  static final int MAX_SUPPRESSED = 64;

  /** Throwables kept in all. */
  static final int MAX_THROWABLES = 1024;

  // What follows the common header of a throwable.
  static final byte GENERIC = 0;
  static final byte ASSERTION_FAILED = 1;
  static final byte MULTIPLE_FAILURES = 2;
  static final byte FILE_SYSTEM = 3;

  // How a cause, suppressed throwable or failure is written.
  static final byte NONE = 0;
  static final byte INLINE = 1;
  static final byte REFERENCE = 2;

  private ThrowableCodec() {}

  /**
   * Encodes a throwable, its causes and its suppressed throwables.
   *
   * @param throwable the throwable to encode
   * @return the encoding, for {@link #decode(byte[], ClassLoader)}
   */
  public static byte[] encode(Throwable throwable) {
    PayloadWriter out = new PayloadWriter();
    write(throwable, out);
    return out.toByteArray();
  }

  /**
   * Decodes what {@link #encode(Throwable)} produced, rebuilding each throwable as its own class
   * where that is safe and exact, and as a placeholder otherwise.
   *
   * @param encoded the encoding
   * @param loader the class loader that resolves class names, usually the test class's
   * @return the rebuilt throwable
   * @throws ProtocolException if the encoding is malformed, truncated, over a limit, or has
   *     trailing bytes
   */
  public static Throwable decode(byte[] encoded, ClassLoader loader) throws ProtocolException {
    PayloadReader in = new PayloadReader(encoded, "throwable");
    Throwable throwable = read(in, loader);
    in.expectEnd();
    return throwable;
  }

  static void write(Throwable throwable, PayloadWriter out) {
    new ThrowableWriter(out).writeRoot(Objects.requireNonNull(throwable, "throwable"));
  }

  static Throwable read(PayloadReader in, ClassLoader loader) throws ProtocolException {
    return new ThrowableReader(in, Objects.requireNonNull(loader, "loader")).readRoot();
  }
}
