package dev.isolatedmounts.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class MessageTests {

  private static final ClassLoader LOADER = MessageTests.class.getClassLoader();

  @Nested
  @DisplayName("round-trips")
  class RoundTrips {

    @Test
    @DisplayName("a HELLO")
    void hello() throws ProtocolException {
      Hello hello = new Hello("tok-3f9a\u00e9", 1L << 40 | 12345, "/usr/lib:/lib");

      assertThat(Hello.decode(hello.encode())).isEqualTo(hello);
      assertThat(Hello.decode(new Hello("t", 1, "").encode()).libraryPath()).isEmpty();
    }

    @Test
    @DisplayName("an ASSIGNMENT with every mount kind and both maps in their order")
    void assignment() throws ProtocolException {
      Assignment assignment = new Assignment(
          "[engine:junit-jupiter]/[class:a.BTests]/[method:c()]",
          "mnt:[4026531841]",
          new MountPlan(Propagation.SLAVE, List.of(
              new TmpfsSpec("/var/lib/app", "4m", 0700),
              new BindSpec("/home/me/fixtures", "/var/lib/app/fixtures", true),
              new TmpfsSpec("/tmp/x", "", 01777),
              new OverlaySpec("/etc"))),
          ordered("z.last", "1", "a.first", "2", "m.middle", ""),
          ordered("junit.jupiter.execution.timeout.default", "5 s", "b", "c"));

      Assignment decoded = Assignment.decode(assignment.encode());

      assertThat(decoded).isEqualTo(assignment);
      assertThat(decoded.systemProperties().keySet())
          .containsExactly("z.last", "a.first", "m.middle");
      assertThat(decoded.configurationParameters().keySet())
          .containsExactly("junit.jupiter.execution.timeout.default", "b");
    }

    @Test
    @DisplayName("an ASSIGNMENT with each hermetic setting on its own")
    void hermeticSettings() throws ProtocolException {
      for (boolean[] on : new boolean[][] {{true, false, false}, {false, true, false},
          {false, false, true}}) {
        Assignment assignment = new Assignment("id", "mnt:[1]",
            new MountPlan(Propagation.PRIVATE, List.of(new OverlaySpec("/opt")), on[0], on[1],
                on[2]), Map.of(), Map.of());

        assertThat(Assignment.decode(assignment.encode())).isEqualTo(assignment);
      }
    }

    @Test
    @DisplayName("an ASSIGNMENT with an empty plan and empty maps")
    void emptyAssignment() throws ProtocolException {
      Assignment assignment = new Assignment(
          "id", "mnt:[1]", new MountPlan(Propagation.PRIVATE, List.of()), Map.of(), Map.of());

      assertThat(Assignment.decode(assignment.encode())).isEqualTo(assignment);
    }

    @Test
    @DisplayName("a REPORT_ENTRY in its order, with a value over 64 KiB")
    void reportEntry() throws ProtocolException {
      String big = "\u00fc".repeat(70_000); // 140,000 UTF-8 bytes: too long for writeUTF
      ReportEntryMessage message = new ReportEntryMessage(ordered("zeta", big, "alpha", "1"));

      ReportEntryMessage decoded = ReportEntryMessage.decode(message.encode());

      assertThat(decoded).isEqualTo(message);
      assertThat(decoded.entries().keySet()).containsExactly("zeta", "alpha");
    }

    @Test
    @DisplayName("a FILE_ENTRY: a file with its media type, a directory without one")
    void fileEntry() throws ProtocolException {
      FileEntryMessage file = new FileEntryMessage("/out/r\u00e9sum\u00e9.txt",
          "text/plain; charset=UTF-8", false);
      FileEntryMessage directory = new FileEntryMessage("/out/listing", null, true);

      assertThat(FileEntryMessage.decode(file.encode())).isEqualTo(file);
      assertThat(FileEntryMessage.decode(directory.encode())).isEqualTo(directory);
      byte[] trailing = java.util.Arrays.copyOf(file.encode(), file.encode().length + 1);
      assertThatThrownBy(() -> FileEntryMessage.decode(trailing))
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Nested
  @DisplayName("round-trips a RESULT")
  class Results {


    @Test
    @DisplayName("that passed")
    void successful() throws ProtocolException {
      Result decoded = Result.decode(new Result(Outcome.SUCCESSFUL, null).encode(), LOADER);

      assertThat(decoded).isEqualTo(new Result(Outcome.SUCCESSFUL, null));
    }

    @Test
    @DisplayName("that failed, with its AssertionFailedError")
    void failed() throws ProtocolException {
      Result result = new Result(Outcome.FAILED, new AssertionFailedError("no", "a", "b"));

      Result decoded = Result.decode(result.encode(), LOADER);

      assertThat(decoded.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(decoded.throwable()).isExactlyInstanceOf(AssertionFailedError.class)
          .hasMessage("no");
    }

    @Test
    @DisplayName("that was aborted, with its TestAbortedException")
    void aborted() throws ProtocolException {
      Result result = new Result(Outcome.ABORTED, new TestAbortedException("assumption"));

      Result decoded = Result.decode(result.encode(), LOADER);

      assertThat(decoded.outcome()).isEqualTo(Outcome.ABORTED);
      assertThat(decoded.throwable()).isExactlyInstanceOf(TestAbortedException.class)
          .hasMessage("assumption");
    }

    @Test
    @DisplayName("that failed without a throwable")
    void failedWithoutThrowable() throws ProtocolException {
      Result decoded = Result.decode(new Result(Outcome.FAILED, null).encode(), LOADER);

      assertThat(decoded).isEqualTo(new Result(Outcome.FAILED, null));
    }
  }

  @Nested
  @DisplayName("reports failure when")
  class Failures {

    @Test
    @DisplayName("the outcome names no constant")
    void badOutcome() {
      PayloadWriter out = new PayloadWriter();
      out.writeString("PASSED");
      out.writeBoolean(false);

      assertThatThrownBy(() -> Result.decode(out.toByteArray(), LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("malformed RESULT payload at offset 10: unknown Outcome \"PASSED\" for "
              + "outcome; expected one of [SUCCESSFUL, FAILED, ABORTED]");
    }

    @Test
    @DisplayName("a successful result carries a throwable")
    void successfulWithThrowable() {
      PayloadWriter out = new PayloadWriter();
      out.writeEnum(Outcome.SUCCESSFUL);
      out.writeBoolean(true);

      assertThatThrownBy(() -> Result.decode(out.toByteArray(), LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("a SUCCESSFUL result carries a throwable");
      assertThatThrownBy(() -> new Result(Outcome.SUCCESSFUL, new IllegalStateException()))
          .isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("bytes trail a result's throwable")
    void resultTrailingBytes() {
      byte[] encoded = new Result(Outcome.FAILED, new IllegalStateException("x")).encode();
      byte[] payload = Arrays.copyOf(encoded, encoded.length + 1);

      assertThatThrownBy(() -> Result.decode(payload, LOADER))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith(": 1 trailing bytes after the last field");
    }

    @Test
    @DisplayName("the payload has trailing bytes")
    void trailingBytes() {
      byte[] payload = Arrays.copyOf(new Hello("t", 1, "").encode(), 23);

      assertThatThrownBy(() -> Hello.decode(payload))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage(
              "malformed HELLO payload at offset 17: 6 trailing bytes after the last field");
    }

    @Test
    @DisplayName("a map with a null key or value is refused, naming it")
    void nullsInAMap() {
      Map<String, String> nullValue = ordered("alpha", "1");
      nullValue.put("zeta", null);
      Map<String, String> nullKey = ordered("alpha", "1");
      nullKey.put(null, "2");

      assertThatThrownBy(() -> new ReportEntryMessage(nullValue))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("entries must not contain a null value for zeta");
      assertThatThrownBy(() -> new ReportEntryMessage(nullKey))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("entries must not contain a null key");
      assertThatThrownBy(() -> new ReportEntryMessage(null))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("entries");
    }

    @Test
    @DisplayName("the payload is truncated, at every possible length")
    void truncated() {
      byte[] whole = assignmentWithOneBind().encode();

      for (int length = 0; length < whole.length; length++) {
        byte[] cut = Arrays.copyOf(whole, length);
        assertThatThrownBy(() -> Assignment.decode(cut))
            .as("cut to %d of %d bytes", length, whole.length)
            .isExactlyInstanceOf(ProtocolException.class)
            .hasMessageStartingWith("truncated ASSIGNMENT payload: ");
      }
    }

    @Test
    @DisplayName("a string length points past the end")
    void stringPastTheEnd() {
      PayloadWriter out = new PayloadWriter();
      out.writeInt(1000);
      out.writeByte('x');

      assertThatThrownBy(() -> Hello.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("truncated HELLO payload: token needs 1000 bytes at offset 4, only 1 remain");
    }

    @Test
    @DisplayName("a string is not valid UTF-8")
    void invalidUtf8() {
      PayloadWriter out = new PayloadWriter();
      out.writeInt(2);
      out.writeByte(0xC3); // a lead byte followed by a byte that cannot continue it
      out.writeByte('(');
      out.writeLong(1);

      assertThatThrownBy(() -> Hello.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("token is not valid UTF-8");
    }

    @Test
    @DisplayName("the propagation names no constant")
    void badPropagation() {
      PayloadWriter out = assignmentHeader();
      out.writeString("RSHARED");

      assertThatThrownBy(() -> Assignment.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("unknown Propagation \"RSHARED\" for propagation; "
              + "expected one of [PRIVATE, SLAVE, SHARED, UNBINDABLE]");
    }

    @Test
    @DisplayName("the mount count is negative")
    void negativeCount() {
      PayloadWriter out = assignmentHeader();
      out.writeEnum(Propagation.PRIVATE);
      out.writeInt(-1);

      assertThatThrownBy(() -> Assignment.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("mounts count is negative: -1");
    }

    @Test
    @DisplayName("the mount count is over the limit")
    void countOverTheLimit() {
      PayloadWriter out = assignmentHeader();
      out.writeEnum(Propagation.PRIVATE);
      out.writeInt(4097);

      assertThatThrownBy(() -> Assignment.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("mounts count 4097 exceeds the limit of 4096");
    }

    @Test
    @DisplayName("a mount kind is unknown")
    void unknownMountKind() {
      PayloadWriter out = assignmentHeader();
      out.writeEnum(Propagation.PRIVATE);
      out.writeInt(1);
      out.writeByte(9);

      assertThatThrownBy(() -> Assignment.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("unknown mount kind 9; expected 1 (tmpfs), 2 (bind) or 3 (overlay)");
    }

    @Test
    @DisplayName("a boolean is neither 0 nor 1")
    void badBoolean() {
      byte[] payload = assignmentWithOneBind().encode();
      int readOnlyOffset = payload.length - 8 - 3 - 1; // before 3 settings and 2 empty maps
      payload[readOnlyOffset] = 2;

      assertThatThrownBy(() -> Assignment.decode(payload))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("bind readOnly must be a boolean (0 or 1) but was 2");
    }

    @Test
    @DisplayName("a map has a key twice")
    void duplicateKey() {
      PayloadWriter out = new PayloadWriter();
      out.writeInt(2);
      out.writeString("k");
      out.writeString("1");
      out.writeString("k");
      out.writeString("2");

      assertThatThrownBy(() -> ReportEntryMessage.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("entries has the key \"k\" twice");
    }

    @Test
    @DisplayName("a map count is over the limit")
    void mapOverTheLimit() {
      PayloadWriter out = new PayloadWriter();
      out.writeInt(65_537);

      assertThatThrownBy(() -> ReportEntryMessage.decode(out.toByteArray()))
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageEndingWith("entries count 65537 exceeds the limit of 65536");
    }
  }

  private static Assignment assignmentWithOneBind() {
    return new Assignment("id", "mnt:[7]",
        new MountPlan(Propagation.SHARED, List.of(new BindSpec("/a", "/b", false))),
        Map.of(), Map.of());
  }

  private static PayloadWriter assignmentHeader() {
    PayloadWriter out = new PayloadWriter();
    out.writeString("id");
    out.writeString("mnt:[7]");
    return out;
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
