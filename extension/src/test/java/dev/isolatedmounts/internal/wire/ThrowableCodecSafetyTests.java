package dev.isolatedmounts.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

class ThrowableCodecSafetyTests {

  private static final ClassLoader TEST_LOADER = ThrowableCodecSafetyTests.class.getClassLoader();
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Nested
  @DisplayName("stays bounded when")
  class Bounds {

    @Test
    @DisplayName("causes form a cycle: it is cut where it closes")
    void causeCycle() throws ProtocolException {
      // GIVEN a -> b -> a
      IllegalStateException a = new IllegalStateException("a");
      IllegalArgumentException b = new IllegalArgumentException("b");
      a.initCause(b);
      b.initCause(a);

      // WHEN
      Throwable decoded = assertTimeoutPreemptively(PATIENCE, () -> roundTrip(a));

      // THEN
      assertThat(decoded).hasMessage("a");
      assertThat(decoded.getCause()).isExactlyInstanceOf(IllegalArgumentException.class);
      assertThat(decoded.getCause().getCause()).isNull();
    }

    @Test
    @DisplayName("suppressed throwables form a cycle")
    void suppressedCycle() throws ProtocolException {
      IllegalStateException a = new IllegalStateException("a");
      IllegalStateException b = new IllegalStateException("b");
      a.addSuppressed(b);
      b.addSuppressed(a);

      Throwable decoded = assertTimeoutPreemptively(PATIENCE, () -> roundTrip(a));

      assertThat(decoded.getSuppressed()).hasSize(1);
      assertThat(decoded.getSuppressed()[0]).hasMessage("b");
      assertThat(decoded.getSuppressed()[0].getSuppressed()).isEmpty();
    }

    @Test
    @DisplayName("causes nest 100 deep: 32 levels travel")
    void deepCauses() throws ProtocolException {
      Throwable original = new IOException("level 99");
      for (int level = 98; level >= 0; level--) {
        original = new IOException("level " + level, original);
      }

      Throwable decoded = roundTrip(original);

      int levels = 0;
      for (Throwable t = decoded; t != null; t = t.getCause()) {
        assertThat(t).hasMessage("level " + levels);
        levels++;
      }
      assertThat(levels).isEqualTo(ThrowableCodec.MAX_DEPTH);
    }

    @Test
    @DisplayName("a stack trace has 2000 frames: the top 1024 travel")
    void longStackTrace() throws ProtocolException {
      IllegalStateException original = new IllegalStateException("deep");
      StackTraceElement[] frames = new StackTraceElement[2000];
      for (int i = 0; i < frames.length; i++) {
        frames[i] = new StackTraceElement("a.B", "m" + i, "B.java", i);
      }
      original.setStackTrace(frames);

      Throwable decoded = roundTrip(original);

      assertThat(decoded.getStackTrace()).containsExactly(Arrays.copyOf(frames, 1024));
    }

    @Test
    @DisplayName("there are 100 suppressed throwables: the first 64 travel")
    void manySuppressed() throws ProtocolException {
      IllegalStateException original = new IllegalStateException("closing");
      for (int i = 0; i < 100; i++) {
        original.addSuppressed(new IOException("resource " + i));
      }

      Throwable decoded = roundTrip(original);

      assertThat(decoded.getSuppressed()).hasSize(64);
      assertThat(decoded.getSuppressed()[63]).hasMessage("resource 63");
    }

    @Test
    @DisplayName("one throwable appears twice: it travels once and stays one instance")
    void sharedThrowable() throws ProtocolException {
      IOException shared = new IOException("shared");
      IllegalStateException original = new IllegalStateException("outer", shared);
      original.addSuppressed(shared);

      Throwable decoded = roundTrip(original);

      assertThat(decoded.getSuppressed()[0]).isSameAs(decoded.getCause());
    }
  }

  @Nested
  @DisplayName("keeps the rest of a failure when the test's own accessor throws")
  class ThrowingAccessors {

    @Test
    @DisplayName("getMessage() of a suppressed exception: only its message is replaced")
    void suppressedMessage() throws ProtocolException {
      IllegalStateException original = new IllegalStateException("the test's failure");
      original.addSuppressed(new Fragile(Fragile.MESSAGE));

      Throwable decoded = roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("the test's failure");
      assertThat(decoded.getSuppressed()).singleElement().asString()
          .isEqualTo(Fragile.class.getName()
              + ": (its getMessage() threw java.lang.UnsupportedOperationException)");
    }

    @Test
    @DisplayName("getStackTrace() and getCause(): the exception travels without them")
    void stackTraceAndCause() throws ProtocolException {
      IllegalStateException original = new IllegalStateException("the test's failure",
          new Fragile(Fragile.STACK_TRACE | Fragile.CAUSE));

      Throwable decoded = roundTrip(original);

      assertThat(decoded).hasMessage("the test's failure");
      assertThat(decoded.getCause()).hasMessage("fragile").hasNoCause();
      assertThat(decoded.getCause().getStackTrace()).isEmpty();
    }

    @Test
    @DisplayName("getMessage() of one of assertAll's failures: the others keep theirs, and all stay")
    void multipleFailures() throws ProtocolException {
      MultipleFailuresError original = new MultipleFailuresError("heading",
          java.util.List.of(new AssertionError("first"), new Fragile(Fragile.MESSAGE)));

      Throwable decoded = roundTrip(original);

      assertThat(decoded).isInstanceOf(MultipleFailuresError.class)
          .hasMessage("(its getMessage() threw java.lang.UnsupportedOperationException)");
      java.util.List<Throwable> failures = ((MultipleFailuresError) decoded).getFailures();
      assertThat(failures).hasSize(2);
      assertThat(failures.get(0)).hasMessage("first");
      assertThat(failures.get(1))
          .hasMessage("(its getMessage() threw java.lang.UnsupportedOperationException)");
    }

    @Test
    @DisplayName("getFailures() of a MultipleFailuresError subclass: it travels as a plain error")
    void failures() throws ProtocolException {
      MultipleFailuresError original = new MultipleFailuresError("heading", java.util.List.of()) {
        @Override
        public java.util.List<Throwable> getFailures() {
          throw new UnsupportedOperationException();
        }
      };

      Throwable decoded = roundTrip(original);

      assertThat(decoded).isInstanceOf(ChildAssertionError.class)
          .hasMessage(original.getMessage());
    }

    @Test
    @DisplayName("a FileSystemException whose getFile() throws travels as a plain exception")
    void fileSystemGetter() throws ProtocolException {
      FileSystemException original = new FileSystemException("/etc/app") {
        @Override
        public String getFile() {
          throw new UnsupportedOperationException();
        }

        @Override
        public String getMessage() {
          return "its own";
        }
      };

      assertThat(roundTrip(original)).isInstanceOf(ChildException.class)
          .hasMessage("its own");
    }
  }

  /** An exception of a test's own whose accessors throw, as chosen. */
  static final class Fragile extends RuntimeException {
    static final int MESSAGE = 1;
    static final int STACK_TRACE = 2;
    static final int CAUSE = 4;

    private final int throwing;

    Fragile(int throwing) {
      super("fragile", new IOException("hidden"));
      this.throwing = throwing;
    }

    @Override
    public String getMessage() {
      if ((throwing & MESSAGE) != 0) {
        throw new UnsupportedOperationException();
      }
      return super.getMessage();
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      if ((throwing & STACK_TRACE) != 0) {
        throw new UnsupportedOperationException();
      }
      return super.getStackTrace();
    }

    @Override
    public synchronized Throwable getCause() {
      if ((throwing & CAUSE) != 0) {
        throw new UnsupportedOperationException();
      }
      return super.getCause();
    }
  }

  @Nested
  @DisplayName("never runs code a crafted payload names")
  class Crafted {

    @Test
    @DisplayName("java.lang.ProcessBuilder becomes a placeholder")
    void processBuilder() throws ProtocolException {
      PayloadWriter out = new PayloadWriter();
      writeHeader(out, "java.lang.ProcessBuilder");
      out.writeByte(ThrowableCodec.NONE);
      out.writeInt(0);

      Throwable decoded = ThrowableCodec.decode(out.toByteArray(), TEST_LOADER);

      // Exactly: the JVM refuses a class of another loader in java.*, so it is not named so.
      assertThat(decoded).isExactlyInstanceOf(ChildException.class)
          .hasToString("java.lang.ProcessBuilder");
    }

    @Test
    @DisplayName("a class with a static initializer is not initialized")
    void staticInitializer() throws ProtocolException {
      PayloadWriter out = new PayloadWriter();
      writeHeader(out, Tripwire.class.getName()); // a class literal does not initialize
      out.writeByte(ThrowableCodec.NONE);
      out.writeInt(0);

      Throwable decoded = ThrowableCodec.decode(out.toByteArray(), TEST_LOADER);

      // Named as the class, which stays uninitialized: the placeholder is a class of its own.
      assertThat(decoded).isInstanceOf(ChildException.class);
      assertThat(decoded.getClass().getName()).isEqualTo(Tripwire.class.getName());
      assertThat(SIDE_EFFECT).isFalse();
    }

    @Test
    @DisplayName("file system parts for a class that is no FileSystemException: a placeholder")
    void fileSystemPartsElsewhere() throws ProtocolException {
      for (String className : List.of(Tripwire.class.getName(), "java.lang.ProcessBuilder",
          IllegalStateException.class.getName())) {
        PayloadWriter out = new PayloadWriter();
        out.writeString(className);
        out.writeNullableString("/etc/app");
        out.writeBoolean(false);
        out.writeByte(ThrowableCodec.FILE_SYSTEM);
        out.writeNullableString("/etc/app");
        out.writeNullableString(null);
        out.writeNullableString(null);
        out.writeInt(0);
        out.writeByte(ThrowableCodec.NONE);
        out.writeInt(0);

        Throwable decoded = ThrowableCodec.decode(out.toByteArray(), TEST_LOADER);

        assertThat(decoded).as(className).isInstanceOf(ChildException.class)
            .hasToString(className + ": /etc/app");
      }
      assertThat(SIDE_EFFECT).isFalse();
    }

    @Test
    @DisplayName("an abstract Throwable becomes a placeholder")
    void abstractThrowable() throws ProtocolException {
      PayloadWriter out = new PayloadWriter();
      writeHeader(out, "java.lang.VirtualMachineError");
      out.writeByte(ThrowableCodec.NONE);
      out.writeInt(0);

      Throwable decoded = ThrowableCodec.decode(out.toByteArray(), TEST_LOADER);

      assertThat(decoded).isExactlyInstanceOf(ChildException.class);
    }
  }

  @Nested
  @DisplayName("reports failure when")
  class Malformed {

    @Test
    @DisplayName("bytes trail the throwable")
    void trailingBytes() {
      byte[] encoded = ThrowableCodec.encode(new IOException("x"));
      byte[] payload = Arrays.copyOf(encoded, encoded.length + 3);

      assertThatThrownBy(() -> ThrowableCodec.decode(payload, TEST_LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith(": 3 trailing bytes after the last field");
    }

    @Test
    @DisplayName("the encoding is truncated, at every possible length")
    void truncated() {
      byte[] whole = ThrowableCodec.encode(sample());

      for (int length = 0; length < whole.length; length++) {
        byte[] cut = Arrays.copyOf(whole, length);
        assertThatThrownBy(() -> ThrowableCodec.decode(cut, TEST_LOADER))
            .as("cut to %d of %d bytes", length, whole.length)
            .isExactlyInstanceOf(ProtocolException.class)
            .hasMessageStartingWith("truncated throwable payload: ");
      }
    }

    @Test
    @DisplayName("throwables nest deeper than 32")
    void tooDeep() {
      PayloadWriter out = new PayloadWriter();
      for (int depth = 0; depth <= ThrowableCodec.MAX_DEPTH; depth++) {
        writeHeader(out, "java.io.IOException");
        out.writeByte(ThrowableCodec.INLINE);
      }

      assertThatThrownBy(() -> ThrowableCodec.decode(out.toByteArray(), TEST_LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("throwables nested deeper than the limit of 32");
    }

    @Test
    @DisplayName("a stack trace has more than 1024 frames")
    void tooManyFrames() {
      PayloadWriter out = new PayloadWriter();
      out.writeString("java.io.IOException");
      out.writeNullableString(null);
      out.writeBoolean(false);
      out.writeByte(ThrowableCodec.GENERIC);
      out.writeInt(1025);

      assertThatThrownBy(() -> ThrowableCodec.decode(out.toByteArray(), TEST_LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("stack frames count 1025 exceeds the limit of 1024");
    }

    @Test
    @DisplayName("a cause refers to the throwable it belongs to")
    void referenceCycle() {
      PayloadWriter out = new PayloadWriter();
      writeHeader(out, "java.io.IOException");
      out.writeByte(ThrowableCodec.REFERENCE);
      out.writeInt(0);

      assertThatThrownBy(() -> ThrowableCodec.decode(out.toByteArray(), TEST_LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("reference to throwable #0 closes a cycle");
    }

    @Test
    @DisplayName("a cause refers to a throwable not read yet")
    void forwardReference() {
      PayloadWriter out = new PayloadWriter();
      writeHeader(out, "java.io.IOException");
      out.writeByte(ThrowableCodec.REFERENCE);
      out.writeInt(5);

      assertThatThrownBy(() -> ThrowableCodec.decode(out.toByteArray(), TEST_LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("reference to throwable #5, but only 1 were read");
    }

    @Test
    @DisplayName("any single byte is corrupted: it decodes or is a ProtocolException, never else")
    void corruptedBytes() {
      byte[] whole = ThrowableCodec.encode(sample());
      int[] replacements = {0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xFF};

      for (int at = 0; at < whole.length; at++) {
        for (int replacement : replacements) {
          byte[] corrupt = whole.clone();
          corrupt[at] = (byte) replacement;

          Throwable thrown = catchThrowable(() -> ThrowableCodec.decode(corrupt, TEST_LOADER));

          if (thrown != null && thrown.getClass() != ProtocolException.class) {
            throw new AssertionError("byte " + at + " set to " + replacement + " threw", thrown);
          }
        }
      }
    }
  }

  /** A throwable of every kind in a few hundred bytes: short stack traces keep these tests fast. */
  private static Throwable sample() {
    AssertionFailedError failure = new AssertionFailedError("differs", "a", 1.5);
    IOException suppressed = new IOException("io");
    failure.addSuppressed(suppressed);
    IllegalStateException outer = new IllegalStateException("outer", failure);
    StackTraceElement[] frames = {
      new StackTraceElement("app", "com.example", "1.0", "com.example.A", "run", "A.java", 12),
      new StackTraceElement("a.B", "call", null, -2)
    };
    for (Throwable t : new Throwable[] {outer, failure, suppressed}) {
      t.setStackTrace(frames);
    }
    return outer;
  }

  /** Writes a throwable with no message, no stack trace, up to (not including) its cause. */
  private static void writeHeader(PayloadWriter out, String className) {
    out.writeString(className);
    out.writeNullableString(null);
    out.writeBoolean(false);
    out.writeByte(ThrowableCodec.GENERIC);
    out.writeInt(0);
  }

  private static Throwable roundTrip(Throwable original) throws ProtocolException {
    return ThrowableCodec.decode(ThrowableCodec.encode(original), TEST_LOADER);
  }

  /** Set only by {@link Tripwire}'s static initializer. */
  private static final AtomicBoolean SIDE_EFFECT = new AtomicBoolean();

  /** Not a Throwable: a payload naming it must not even initialize it. */
  static class Tripwire {
    static {
      SIDE_EFFECT.set(true);
    }
  }
}
