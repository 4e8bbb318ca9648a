package dev.isolatedmounts.internal.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FrameTests {

  @Nested
  @DisplayName("writes and reads back")
  class RoundTrip {

    @Test
    @DisplayName("frames of every type, in order, then a clean EOF")
    void everyType() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      FrameWriter writer = new FrameWriter(bytes);
      for (FrameType type : FrameType.values()) {
        writer.write(type, type.name().getBytes(UTF_8));
      }
      writer.write(FrameType.RESULT, new byte[0]);

      FrameReader reader = reader(bytes.toByteArray(), FrameReader.DEFAULT_MAX_PAYLOAD);

      for (FrameType type : FrameType.values()) {
        assertThat(reader.read()).isEqualTo(new Frame(type, type.name().getBytes(UTF_8)));
      }
      assertThat(reader.read()).isEqualTo(new Frame(FrameType.RESULT, new byte[0]));
      assertThatThrownBy(reader::read).isExactlyInstanceOf(EOFException.class);
    }

    @Test
    @DisplayName("the documented layout: type byte, big-endian length, payload")
    void layout() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();

      new FrameWriter(bytes).write(FrameType.ASSIGNMENT, new byte[] {7, 8, 9});

      assertThat(bytes.toByteArray()).containsExactly(0x02, 0, 0, 0, 3, 7, 8, 9);
    }

    @Test
    @DisplayName("a payload of exactly the limit")
    void payloadAtTheLimit() throws IOException {
      byte[] payload = new byte[1000];
      Arrays.fill(payload, (byte) 42);

      Frame frame = reader(framed(FrameType.RESULT, payload), 1000).read();

      assertThat(frame.payload()).isEqualTo(payload);
    }

    @Test
    @DisplayName("stable type codes")
    void stableCodes() {
      assertThat(FrameType.values())
          .extracting(FrameType::code)
          .containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6,
              (byte) 7);
    }
  }

  @Nested
  @DisplayName("reports failure when")
  class Failures {

    @Test
    @DisplayName("the declared length is over the limit, before reading any payload")
    void oversized() {
      byte[] header = {0x04, 0x02, 0, 0, 0}; // RESULT, 32 MiB, and no payload follows

      assertThatThrownBy(() -> reader(header, FrameReader.DEFAULT_MAX_PAYLOAD).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("RESULT frame of 33554432 bytes exceeds the limit of 16777216 bytes");
      assertThatThrownBy(() -> reader(framed(FrameType.HELLO, new byte[1001]), 1000).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("HELLO frame of 1001 bytes exceeds the limit of 1000 bytes");
    }

    @Test
    @DisplayName("the declared length is 2 GiB, without allocating it")
    void hugeLength() {
      byte[] header = {0x04, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

      assertThatThrownBy(() -> reader(header, FrameReader.DEFAULT_MAX_PAYLOAD).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("RESULT frame of 2147483647 bytes exceeds the limit of 16777216 bytes");
    }

    @Test
    @DisplayName("the length is negative")
    void negativeLength() {
      byte[] header = {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};

      assertThatThrownBy(() -> reader(header, 100).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("HELLO frame declares a negative length: -2");
    }

    @Test
    @DisplayName("the type byte is unknown")
    void unknownType() {
      byte[] bytes = {(byte) 0xAB, 0, 0, 0, 0};

      assertThatThrownBy(() -> reader(bytes, 100).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("unknown frame type 0xAB; expected one of 0x01 (HELLO), ");
    }

    @Test
    @DisplayName("the stream ends inside the payload")
    void truncatedPayload() {
      byte[] whole = framed(FrameType.RESULT, new byte[120]);
      byte[] cut = Arrays.copyOf(whole, 5 + 7);

      assertThatThrownBy(() -> reader(cut, 1000).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("truncated RESULT frame: expected 120 bytes of payload, got 7");
    }

    @Test
    @DisplayName("the stream ends inside the length")
    void truncatedLength() {
      byte[] cut = {0x03, 0, 0};

      assertThatThrownBy(() -> reader(cut, 1000).read())
          .isExactlyInstanceOf(ProtocolException.class)
          .hasMessage("truncated REPORT_ENTRY frame: expected 4 bytes of length, got 2");
    }

    @Test
    @DisplayName("the stream is empty: a clean EOF, not a protocol error")
    void cleanEof() {
      assertThatThrownBy(() -> reader(new byte[0], 1000).read())
          .isExactlyInstanceOf(EOFException.class);
    }
  }

  private static FrameReader reader(byte[] bytes, int maxPayloadBytes) {
    InputStream in = new ByteArrayInputStream(bytes);
    return new FrameReader(in, maxPayloadBytes);
  }

  private static byte[] framed(FrameType type, byte[] payload) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      new FrameWriter(bytes).write(type, payload);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }
}
