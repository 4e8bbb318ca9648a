package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.wire.FrameReader;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.ProtocolException;
import dev.isolatedmounts.internal.wire.ReportEntryMessage;
import dev.isolatedmounts.internal.wire.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

@DisplayName("A child's last frames")
class ChildMainEncodingTests {

  private static final ClassLoader LOADER = ChildMainEncodingTests.class.getClassLoader();
  private static final String CUT = " more characters cut: the message would not fit";

  @Test
  @DisplayName("keep a failure comparing two large files, each string cut to fit a frame")
  void largeFailureFits() throws ProtocolException {
    String expected = "e".repeat(6_000_000);
    String actual = "a".repeat(6_000_000) + "\uD83D\uDE00"; // ends with a surrogate pair
    AssertionFailedError failure =
        new AssertionFailedError("contents differ: " + expected + " " + actual, expected, actual);

    byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED, failure));

    assertThat(encoded.length).isLessThanOrEqualTo(FrameReader.DEFAULT_MAX_PAYLOAD);
    Throwable decoded = Result.decode(encoded, LOADER).throwable();
    assertThat(decoded).isExactlyInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("contents differ: eee").hasMessageContaining(CUT);
    AssertionFailedError rebuilt = (AssertionFailedError) decoded;
    assertThat(rebuilt.getExpected().getValue()).asString().startsWith("eeee").contains(CUT);
    assertThat(rebuilt.getActual().getStringRepresentation()).startsWith("aaaa").contains(CUT);
    assertThat(decoded.getStackTrace()).extracting(StackTraceElement::toString)
        .isEqualTo(java.util.Arrays.stream(failure.getStackTrace())
            .map(StackTraceElement::toString).toList());
  }

  @Test
  @DisplayName("keep assertAll's failures when one of them is too large for a frame")
  void largeMultipleFailures() throws ProtocolException {
    MultipleFailuresError failure = new MultipleFailuresError("files", List.of(
        new AssertionError("x".repeat(20_000_000)), new AssertionError("second")));

    byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED, failure));

    Throwable decoded = Result.decode(encoded, LOADER).throwable();
    assertThat(decoded).isInstanceOf(MultipleFailuresError.class)
        .hasMessageStartingWith("files (2 failures)").hasMessageContaining(CUT);
    List<Throwable> failures = ((MultipleFailuresError) decoded).getFailures();
    assertThat(failures).hasSize(2);
    assertThat(failures.get(1)).hasMessage("second");
  }

  @Test
  @DisplayName("send a string value once, not again beside its string representation")
  void stringValueOnce() {
    String expected = "x".repeat(1_000_000);

    byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED,
        new AssertionFailedError("differ", expected, "y")));

    assertThat(encoded.length).isLessThan(1_200_000);
  }

  @Test
  @DisplayName("say what was lost when even cut strings do not fit, though the failure's own"
      + " getStackTrace() throws")
  void fallbackSurvivesTheTestsOwnCode() throws ProtocolException {
    RuntimeException fragile = new RuntimeException("x".repeat(100_000)) {
      @Override
      public StackTraceElement[] getStackTrace() {
        throw new IllegalStateException("no stack for you");
      }
    };

    byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED, fragile), 2_000);

    Throwable decoded = Result.decode(encoded, LOADER).throwable();
    assertThat(decoded).isExactlyInstanceOf(IsolationException.class)
        .hasMessageStartingWith("The test ended FAILED with " + fragile.getClass().getName()
            + " in the child JVM, but the result could not be sent: its encoded size, ")
        .hasMessageEndingWith("exceeds the limit of 2000 bytes even with each of its strings cut"
            + " to 4096 characters");
  }

  @Test
  @DisplayName("keep a report entry too large for a frame, its values cut")
  void largeReportEntry() throws ProtocolException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("log", "l".repeat(20_000_000));
    entries.put("short", "kept");

    byte[] encoded = ChildMain.encode(new ReportEntryMessage(entries),
        FrameReader.DEFAULT_MAX_PAYLOAD);

    Map<String, String> decoded = ReportEntryMessage.decode(encoded).entries();
    assertThat(decoded).containsOnlyKeys("log", "short").containsEntry("short", "kept");
    assertThat(decoded.get("log")).startsWith("llll").contains(CUT).hasSizeLessThan(2_000_000);
  }
}
