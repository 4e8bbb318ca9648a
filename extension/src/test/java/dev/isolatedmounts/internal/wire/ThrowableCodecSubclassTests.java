package dev.isolatedmounts.internal.wire;

import static dev.isolatedmounts.internal.wire.ThrowableCodecTests.printed;
import static dev.isolatedmounts.internal.wire.ThrowableCodecTests.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

@DisplayName("The throwable codec, for opentest4j's failures the parent cannot rebuild as such,")
class ThrowableCodecSubclassTests {

  @Test
  @DisplayName("keeps each of AssertJ's soft assertion failures, with its values")
  void softAssertions() throws ProtocolException {
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(1).as("count").isEqualTo(2);
    softly.assertThat("actual").isEqualTo("expected");
    AssertJMultipleFailuresError original =
        assertThrows(AssertJMultipleFailuresError.class, softly::assertAll);

    Throwable decoded = roundTrip(original);

    assertThat(decoded).isExactlyInstanceOf(ChildMultipleFailuresError.class)
        .hasMessage(original.getMessage())
        .hasToString(original.toString());
    assertThat(((ChildMultipleFailuresError) decoded).originalClassName())
        .isEqualTo(AssertJMultipleFailuresError.class.getName());
    assertThat(printed(decoded)).isEqualTo(printed(original));
    List<Throwable> failures = ((MultipleFailuresError) decoded).getFailures();
    assertThat(failures).hasSize(2).allSatisfy(failure -> assertThat(failure)
        .isExactlyInstanceOf(AssertionFailedError.class));
    // AssertJ gives opentest4j its own representation of each value: "\"expected\"".
    AssertionFailedError second = (AssertionFailedError) failures.get(1);
    assertThat(second.getExpected().getValue()).isEqualTo("\"expected\"");
    assertThat(second.getActual().getValue()).isEqualTo("\"actual\"");
    assertThat(failures.get(0)).hasMessage(original.getFailures().get(0).getMessage());
  }

  @Test
  @DisplayName("keeps the failures of one whose heading cannot be recovered")
  void headingLost() throws ProtocolException {
    List<Throwable> many = IntStream.rangeClosed(1, ThrowableCodec.MAX_SUPPRESSED + 1)
        .mapToObj(i -> (Throwable) new AssertionError("failure " + i)).toList();
    MultipleFailuresError original = new MultipleFailuresError("settings", many);

    Throwable decoded = roundTrip(original);

    // Past the limit the failures are cut, and opentest4j's message would count fewer: the
    // placeholder keeps the child's.
    assertThat(decoded).isExactlyInstanceOf(ChildMultipleFailuresError.class)
        .hasMessage(original.getMessage())
        .hasMessageStartingWith("settings (65 failures)")
        .hasToString(original.toString());
    List<Throwable> failures = ((MultipleFailuresError) decoded).getFailures();
    assertThat(failures).hasSize(ThrowableCodec.MAX_SUPPRESSED);
    assertThat(failures.get(0)).isExactlyInstanceOf(AssertionError.class).hasMessage("failure 1");
  }

  @Test
  @DisplayName("keeps the values and the cause of a subclass of AssertionFailedError")
  void assertionFailedSubclass() throws ProtocolException {
    FrameworkFailure original =
        new FrameworkFailure("sizes differ", 3, 4L, new IOException("listing"));

    Throwable decoded = roundTrip(original);

    assertThat(decoded).isExactlyInstanceOf(ChildAssertionFailedError.class)
        .hasMessage("sizes differ")
        .hasToString(FrameworkFailure.class.getName() + ": sizes differ");
    assertThat(((ChildAssertionFailedError) decoded).originalClassName())
        .isEqualTo(FrameworkFailure.class.getName());
    AssertionFailedError failure = (AssertionFailedError) decoded;
    assertThat(failure.getExpected().getValue()).isEqualTo(3);
    assertThat(failure.getActual().getValue()).isEqualTo(4L);
    assertThat(failure.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("listing");
    assertThat(printed(decoded)).isEqualTo(printed(original));
  }

  @Test
  @DisplayName("prints a subclass without a message as opentest4j does: its class name alone")
  void noMessage() throws ProtocolException {
    FrameworkFailure original = new FrameworkFailure(null, 1, 2, null);

    Throwable decoded = roundTrip(original);

    assertThat(decoded).isExactlyInstanceOf(ChildAssertionFailedError.class)
        .hasToString(FrameworkFailure.class.getName()).hasMessage("");
    assertThat(printed(decoded)).isEqualTo(printed(original));
  }

  @Test
  @DisplayName("keeps one value of a subclass that defines only that one")
  void oneValue() throws ProtocolException {
    AssertionFailedError decoded = (AssertionFailedError) roundTrip(new OneValueFailure("only"));

    assertThat(decoded).isExactlyInstanceOf(ChildAssertionFailedError.class).hasMessage("only");
    assertThat(decoded.isExpectedDefined()).isTrue();
    assertThat(decoded.getExpected().getValue()).isEqualTo("wanted");
    assertThat(decoded.getActual().getValue()).isNull();
  }

  @Test
  @DisplayName("rebuilds a subclass without values as itself")
  void subclassWithoutValues() throws ProtocolException {
    Throwable decoded = roundTrip(new PlainFailure("plain"));

    assertThat(decoded).isExactlyInstanceOf(PlainFailure.class).hasMessage("plain");
  }

  @Test
  @DisplayName("gives a subclass without values a placeholder of the same kind, if it must")
  void subclassWithoutValuesNorConstructor() throws ProtocolException {
    Throwable decoded = roundTrip(new FrameworkFailure("no values", null));

    assertThat(decoded).isExactlyInstanceOf(ChildAssertionFailedError.class)
        .hasMessage("no values");
    assertThat(((AssertionFailedError) decoded).isExpectedDefined()).isFalse();
  }

  /** Like a test framework's own failure: values, and no constructor the parent can use. */
  public static class FrameworkFailure extends AssertionFailedError {
    FrameworkFailure(String message, Object expected, Object actual, Throwable cause) {
      super(message, expected, actual, cause);
    }

    FrameworkFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Defines the expected value only, which opentest4j's public constructors cannot. */
  public static class OneValueFailure extends AssertionFailedError {
    OneValueFailure(String message) {
      super(message);
    }

    @Override
    public boolean isExpectedDefined() {
      return true;
    }

    @Override
    public org.opentest4j.ValueWrapper getExpected() {
      return org.opentest4j.ValueWrapper.create("wanted");
    }
  }

  public static class PlainFailure extends AssertionFailedError {
    public PlainFailure(String message) {
      super(message);
    }
  }
}
