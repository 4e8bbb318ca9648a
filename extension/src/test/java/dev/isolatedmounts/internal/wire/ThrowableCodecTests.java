package dev.isolatedmounts.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.IncompleteExecutionException;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;
import org.opentest4j.TestSkippedException;

class ThrowableCodecTests {

  private static final ClassLoader TEST_LOADER = ThrowableCodecTests.class.getClassLoader();

  @Nested
  @DisplayName("rebuilds the original class")
  class OriginalClass {

    @Test
    @DisplayName("with message, cause, suppressed and a stack trace that prints the same")
    void causeAndSuppressed() throws ProtocolException {
      // GIVEN
      IllegalStateException original = new IllegalStateException("outer",
          new IOException("inner", new IllegalArgumentException("root")));
      original.addSuppressed(new UnsupportedOperationException("also"));

      // WHEN
      Throwable decoded = roundTrip(original);

      // THEN
      assertThat(decoded).isExactlyInstanceOf(IllegalStateException.class).hasMessage("outer");
      assertThat(decoded.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("inner");
      assertThat(decoded.getCause().getCause())
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("root");
      assertThat(decoded.getSuppressed()).hasSize(1);
      assertThat(decoded.getSuppressed()[0])
          .isExactlyInstanceOf(UnsupportedOperationException.class).hasMessage("also");
      assertThat(decoded.getStackTrace()).hasSameSizeAs(original.getStackTrace());
      for (int i = 0; i < original.getStackTrace().length; i++) {
        StackTraceElement expected = original.getStackTrace()[i];
        StackTraceElement actual = decoded.getStackTrace()[i];
        assertThat(actual.getClassName()).isEqualTo(expected.getClassName());
        assertThat(actual.getMethodName()).isEqualTo(expected.getMethodName());
        assertThat(actual.getFileName()).isEqualTo(expected.getFileName());
        assertThat(actual.getLineNumber()).isEqualTo(expected.getLineNumber());
        assertThat(actual.getModuleName()).isEqualTo(expected.getModuleName());
      }
      assertThat(printed(decoded)).isEqualTo(printed(original));
    }

    @Test
    @DisplayName("for a plain AssertionError, whose message constructor takes an Object")
    void plainAssertionError() throws ProtocolException {
      Throwable decoded = roundTrip(new AssertionError("assert failed"));

      assertThat(decoded).isExactlyInstanceOf(AssertionError.class).hasMessage("assert failed");
    }

    @Test
    @DisplayName("for a SystemExitException, with its status")
    void systemExit() throws ProtocolException {
      Throwable decoded = roundTrip(new dev.isolatedmounts.SystemExitException(-3));

      assertThat(decoded).isExactlyInstanceOf(dev.isolatedmounts.SystemExitException.class)
          .hasMessageStartingWith("System.exit(-3) was called");
      assertThat(((dev.isolatedmounts.SystemExitException) decoded).status()).isEqualTo(-3);
    }

    @Test
    @DisplayName("without a message, through the no-arg constructor")
    void nullMessage() throws ProtocolException {
      Throwable decoded = roundTrip(new IOException());

      assertThat(decoded).isExactlyInstanceOf(IOException.class).hasMessage(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isolatedmounts.internal.wire.ThrowableCodecTests#opentest4jIncomplete")
    @DisplayName("for opentest4j's aborted and skipped exceptions")
    void opentest4j(Throwable original) throws ProtocolException {
      Throwable decoded = roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(original.getClass())
          .hasMessage(original.getMessage());
    }

    @Test
    @DisplayName("for a NullPointerException with a message, or with the JVM's description")
    void nullPointer() throws ProtocolException {
      NullPointerException fromJvm = catchNullPointer();

      Throwable decoded = roundTrip(fromJvm);
      Throwable withMessage = roundTrip(new NullPointerException("config must not be null"));

      assertThat(fromJvm.getMessage()).contains("because"); // the JVM's helpful message
      assertThat(decoded).isExactlyInstanceOf(NullPointerException.class)
          .hasMessage(fromJvm.getMessage());
      assertThat(withMessage).isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("config must not be null");
      assertThat(roundTrip(new NullPointerException()))
          .isExactlyInstanceOf(NullPointerException.class).hasMessage(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isolatedmounts.internal.wire.ThrowableCodecTests#fileSystemFailures")
    @DisplayName("for the JDK's file system exceptions, with file, other file and reason")
    void fileSystem(FileSystemException original) throws ProtocolException {
      original.initCause(new IOException("underneath"));

      FileSystemException decoded = (FileSystemException) roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(original.getClass())
          .hasMessage(original.getMessage());
      assertThat(decoded.getFile()).isEqualTo(original.getFile());
      assertThat(decoded.getOtherFile()).isEqualTo(original.getOtherFile());
      assertThat(decoded.getReason()).isEqualTo(original.getReason());
      assertThat(decoded.getCause()).hasMessage("underneath");
      assertThat(printed(decoded)).isEqualTo(printed(original));
    }

    @Test
    @DisplayName("for an UncheckedIOException, through its constructor that takes the cause")
    void uncheckedIo() throws ProtocolException {
      UncheckedIOException original =
          new UncheckedIOException("listing /etc", new NoSuchFileException("/etc/app"));

      Throwable decoded = roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(UncheckedIOException.class)
          .hasMessage("listing /etc");
      assertThat(decoded.getCause()).isExactlyInstanceOf(NoSuchFileException.class)
          .hasMessage("/etc/app");
    }

    @Test
    @DisplayName("for a class of the test's own, when the class loader sees it")
    void testLocalClass() throws ProtocolException {
      Throwable decoded = roundTrip(new LocalException("mine"));

      assertThat(decoded).isExactlyInstanceOf(LocalException.class).hasMessage("mine");
    }
  }

  @Nested
  @DisplayName("keeps what an IDE diff needs")
  class OpenTest4j {

    @Test
    @DisplayName("of an AssertionFailedError on strings")
    void strings() throws ProtocolException {
      AssertionFailedError original =
          assertThrows(AssertionFailedError.class, () -> assertEquals("Hello", "Hallo"));

      AssertionFailedError decoded = (AssertionFailedError) roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(AssertionFailedError.class)
          .hasMessage("expected: <Hello> but was: <Hallo>");
      assertThat(decoded.isExpectedDefined()).isTrue();
      assertThat(decoded.getExpected().getValue()).isEqualTo("Hello");
      assertThat(decoded.getExpected().getStringRepresentation()).isEqualTo("Hello");
      assertThat(decoded.getActual().getValue()).isEqualTo("Hallo");
      assertThat(decoded.getActual().getStringRepresentation()).isEqualTo("Hallo");
      assertThat(printed(decoded)).isEqualTo(printed(original));
    }

    @Test
    @DisplayName("of an AssertionFailedError on ints, keeping the values' type")
    void ints() throws ProtocolException {
      AssertionFailedError original =
          assertThrows(AssertionFailedError.class, () -> assertEquals(1, 2, "count"));

      AssertionFailedError decoded = (AssertionFailedError) roundTrip(original);

      assertThat(decoded).hasMessage("count ==> expected: <1> but was: <2>");
      assertThat(decoded.getExpected().getValue()).isEqualTo(1);
      assertThat(decoded.getActual().getValue()).isEqualTo(2);
      assertThat(decoded.getActual().getType()).isEqualTo(Integer.class);
    }

    @Test
    @DisplayName("of an AssertionFailedError on other values, as their string representation")
    void otherValues() throws ProtocolException {
      AssertionFailedError original = new AssertionFailedError("lists", List.of(1), null);

      AssertionFailedError decoded = (AssertionFailedError) roundTrip(original);

      assertThat(decoded.getExpected().getStringRepresentation()).isEqualTo("[1]");
      assertThat(decoded.getExpected().getValue()).isEqualTo("[1]");
      assertThat(decoded.isActualDefined()).isTrue();
      assertThat(decoded.getActual().getValue()).isNull();
    }

    @Test
    @DisplayName("of an AssertionFailedError without values, and its cause")
    void noValues() throws ProtocolException {
      AssertionFailedError original = new AssertionFailedError("plain", new IOException("io"));

      AssertionFailedError decoded = (AssertionFailedError) roundTrip(original);

      assertThat(decoded).hasMessage("plain");
      assertThat(decoded.isExpectedDefined()).isFalse();
      assertThat(decoded.isActualDefined()).isFalse();
      assertThat(decoded.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("io");
    }

    @Test
    @DisplayName("of assertAll's MultipleFailuresError, each failure once")
    void multipleFailures() throws ProtocolException {
      MultipleFailuresError original = assertThrows(MultipleFailuresError.class, () -> assertAll(
          "settings", () -> assertEquals(1, 2), () -> fail("second")));

      MultipleFailuresError decoded = (MultipleFailuresError) roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(MultipleFailuresError.class)
          .hasMessage(original.getMessage())
          .hasMessageStartingWith("settings (2 failures)");
      assertThat(decoded.getFailures()).hasSize(2);
      assertThat(decoded.getFailures().get(0)).isExactlyInstanceOf(AssertionFailedError.class);
      // assertAll adds each failure as suppressed too: the same instances, not copies.
      assertThat(decoded.getSuppressed()).hasSize(2);
      assertThat(decoded.getSuppressed()[0]).isSameAs(decoded.getFailures().get(0));
      assertThat(decoded.getSuppressed()[1]).isSameAs(decoded.getFailures().get(1));
    }

    @Test
    @DisplayName("of a MultipleFailuresError whose heading looks like a failure count")
    void trickyHeading() throws ProtocolException {
      MultipleFailuresError original = new MultipleFailuresError(
          "odd (1 failure) heading", List.of(new AssertionError("x")));

      Throwable decoded = roundTrip(original);

      assertThat(decoded).isExactlyInstanceOf(MultipleFailuresError.class)
          .hasMessage(original.getMessage());
    }
  }

  @Nested
  @DisplayName("falls back to a placeholder when")
  class Placeholders {

    @Test
    @DisplayName("the parent cannot load the class, keeping name, message and stack trace")
    void notLoadable() throws Exception {
      LocalException original = new LocalException("boom");
      original.addSuppressed(new IOException("closing"));

      Throwable decoded = decodeWithoutTestClasses(original);

      assertThat(decoded).isInstanceOf(ChildException.class).hasMessage("boom")
          .hasToString(LocalException.class.getName() + ": boom");
      assertThat(((ChildException) decoded).originalClassName())
          .isEqualTo(LocalException.class.getName());
      // Named as the original, for tools that print a class's name rather than toString().
      assertThat(decoded.getClass().getName()).isEqualTo(LocalException.class.getName());
      assertThat(decoded.getClass()).isNotEqualTo(LocalException.class);
      assertThat(decoded.getStackTrace()).extracting(StackTraceElement::toString)
          .containsExactly(Stream.of(original.getStackTrace())
              .map(StackTraceElement::toString).toArray(String[]::new));
      assertThat(decoded.getSuppressed()).hasSize(1);
      assertThat(decoded.getSuppressed()[0]).isExactlyInstanceOf(IOException.class);
      assertThat(printed(decoded)).isEqualTo(printed(original));
    }

    @Test
    @DisplayName("the parent cannot load an AssertionError subclass: still an AssertionError")
    void assertionErrorNotLoadable() throws Exception {
      Throwable decoded = decodeWithoutTestClasses(new LocalAssertionError());

      assertThat(decoded).isInstanceOf(ChildAssertionError.class).hasMessage(null)
          .hasToString(LocalAssertionError.class.getName());
      assertThat(((ChildAssertionError) decoded).originalClassName())
          .isEqualTo(LocalAssertionError.class.getName());
      assertThat(decoded.getClass().getName()).isEqualTo(LocalAssertionError.class.getName());
    }

    @Test
    @DisplayName("the parent cannot load opentest4j: the message survives")
    void opentest4jNotLoadable() throws Exception {
      Throwable decoded = decodeWithoutTestClasses(new AssertionFailedError("differs", "a", "b"));

      assertThat(decoded).isInstanceOf(ChildAssertionError.class).hasMessage("differs");
    }

    @Test
    @DisplayName("the class makes its message of its own (a FileSystemException's subclass)")
    void ownMessage() throws ProtocolException {
      Throwable decoded = roundTrip(new FormattedFailure("/var/lib/app"));

      assertThat(decoded).isInstanceOf(ChildException.class)
          .hasMessage("cannot use /var/lib/app")
          .hasToString(FormattedFailure.class.getName() + ": cannot use /var/lib/app");
    }

    @Test
    @DisplayName("no public constructor takes the message, nor the message and the cause")
    void noStringConstructor() throws ProtocolException {
      Throwable decoded = roundTrip(new LocalUncheckedException("wrapped", new IOException("io")));

      assertThat(decoded).isInstanceOf(ChildException.class).hasMessage("wrapped");
      // The original class is loadable here, only not rebuildable: the placeholder is not it.
      assertThat(decoded.getClass().getName()).isEqualTo(LocalUncheckedException.class.getName());
      assertThat(decoded).isNotInstanceOf(LocalUncheckedException.class);
      assertThat(roundTrip(new LocalUncheckedException("again", null)).getClass())
          .as("made once per name").isSameAs(decoded.getClass());
      assertThat(decoded.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("io");
    }

    @Test
    @DisplayName("the public constructors make another message")
    void otherMessage() throws ProtocolException {
      Throwable decoded = roundTrip(DefaultMessageException.withoutMessage());

      assertThat(decoded).isInstanceOf(ChildException.class).hasMessage(null);
    }

    @Test
    @DisplayName("the constructor throws")
    void constructorThrows() throws ProtocolException {
      Throwable decoded = roundTrip(ThrowingConstructorException.create("fragile"));

      assertThat(decoded).isInstanceOf(ChildException.class).hasMessage("fragile");
    }

    @Test
    @DisplayName("the constructor sets a cause of its own")
    void constructorSetsCause() throws ProtocolException {
      Throwable decoded = roundTrip(new SelfCausedException("outer"));

      assertThat(decoded).isInstanceOf(ChildException.class).hasMessage("outer");
      assertThat(decoded.getCause()).hasMessage("made by the constructor");
    }
  }

  static Stream<Throwable> opentest4jIncomplete() {
    return Stream.of(new TestAbortedException("assumption failed"),
        new TestSkippedException("skipped"), new IncompleteExecutionException("incomplete"));
  }

  static Stream<FileSystemException> fileSystemFailures() {
    return Stream.of(new FileSystemException("/etc/app.conf", null, "Read-only file system"),
        new FileSystemException(null), new NoSuchFileException("/var/lib/app/state"),
        new AccessDeniedException("/etc/shadow", null, "Permission denied"),
        new FileAlreadyExistsException("/var/lib/app"),
        new DirectoryNotEmptyException("/var/lib/app"), new NotDirectoryException("/etc/hosts"),
        new AtomicMoveNotSupportedException("/tmp/a", "/var/lib/b", "Invalid cross-device link"),
        new NotLinkException("/etc/app", "/etc/other", "not a link"),
        new FileSystemLoopException("/srv/loop"));
  }

  @SuppressWarnings("null")
  private static NullPointerException catchNullPointer() {
    String absent = System.getProperty("isolatedmounts.test.absent");
    try {
      absent.length();
      throw new AssertionError("the property is set: " + absent);
    } catch (NullPointerException e) {
      return e;
    }
  }

  static Throwable roundTrip(Throwable original) throws ProtocolException {
    return ThrowableCodec.decode(ThrowableCodec.encode(original), TEST_LOADER);
  }

  /** Decodes with a loader that sees the JDK only: not opentest4j, not this test's classes. */
  static Throwable decodeWithoutTestClasses(Throwable original) throws IOException {
    try (URLClassLoader jdkOnly = new URLClassLoader(new URL[0],
        ClassLoader.getPlatformClassLoader())) {
      return ThrowableCodec.decode(ThrowableCodec.encode(original), jdkOnly);
    }
  }

  static String printed(Throwable throwable) {
    StringWriter text = new StringWriter();
    throwable.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  public static class LocalException extends RuntimeException {
    public LocalException(String message) {
      super(message);
    }
  }

  public static class FormattedFailure extends FileSystemException {
    public FormattedFailure(String file) {
      super(file);
    }

    @Override
    public String getMessage() {
      return "cannot use " + getFile();
    }
  }

  public static class LocalUncheckedException extends RuntimeException {
    LocalUncheckedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static class LocalAssertionError extends AssertionError {
    public LocalAssertionError() {}
  }

  public static class DefaultMessageException extends RuntimeException {
    public DefaultMessageException() {
      super("default");
    }

    private DefaultMessageException(String message) {
      super(message);
    }

    static DefaultMessageException withoutMessage() {
      return new DefaultMessageException(null);
    }
  }

  public static class ThrowingConstructorException extends RuntimeException {
    public ThrowingConstructorException(String message) {
      super(message);
      throw new IllegalStateException("refuses to be made by reflection");
    }

    private ThrowingConstructorException(String message, boolean unused) {
      super(message);
    }

    static ThrowingConstructorException create(String message) {
      return new ThrowingConstructorException(message, true);
    }
  }

  public static class SelfCausedException extends RuntimeException {
    public SelfCausedException(String message) {
      super(message, new IllegalStateException("made by the constructor"));
    }
  }
}
