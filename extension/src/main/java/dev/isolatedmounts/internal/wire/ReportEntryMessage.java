package dev.isolatedmounts.internal.wire;

import java.util.Map;

/**
 * One report entry the test published in the child, to be published again in the parent.
 *
 * @param entries the entry's key-value pairs, in the order the test gave them
 */
public record ReportEntryMessage(Map<String, String> entries) {

  public ReportEntryMessage {
    entries = StringMaps.orderedCopy(entries, "entries");
  }

  /** Encodes this message as a {@link FrameType#REPORT_ENTRY} payload. */
  public byte[] encode() {
    return encode(Integer.MAX_VALUE);
  }

  /** Encodes this message, cutting each key and value to at most {@code maxStringLength} chars. */
  public byte[] encode(int maxStringLength) {
    PayloadWriter out = new PayloadWriter(maxStringLength);
    out.writeStringMap(entries);
    return out.toByteArray();
  }

  /**
   * Decodes a {@link FrameType#REPORT_ENTRY} payload.
   *
   * @param payload the bytes {@link #encode()} produced
   * @return the message, with its entries in their original order
   * @throws ProtocolException if the payload is malformed, truncated or has trailing bytes
   */
  public static ReportEntryMessage decode(byte[] payload) throws ProtocolException {
    PayloadReader in = new PayloadReader(payload, "REPORT_ENTRY");
    ReportEntryMessage message =
        new ReportEntryMessage(in.readStringMap("entries", StringMaps.MAX_ENTRIES));
    in.expectEnd();
    return message;
  }
}
