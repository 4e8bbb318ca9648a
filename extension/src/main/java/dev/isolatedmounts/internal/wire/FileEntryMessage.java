package dev.isolatedmounts.internal.wire;

import java.util.Objects;

/**
 * One file or directory the test published in the child ({@code TestReporter.publishFile},
 * {@code publishDirectory}), to be published again in the parent.
 *
 * @param path where the child's launcher put it: an absolute path
 * @param mediaType the file's media type, or {@code null} for a directory or a file without one
 * @param directory whether it is a directory
 */
public record FileEntryMessage(String path, String mediaType, boolean directory) {

  public FileEntryMessage {
    Objects.requireNonNull(path, "path");
  }

  /** Encodes this message as a {@link FrameType#FILE_ENTRY} payload. */
  public byte[] encode() {
    PayloadWriter out = new PayloadWriter();
    out.writeString(path);
    out.writeNullableString(mediaType);
    out.writeBoolean(directory);
    return out.toByteArray();
  }

  /**
   * Decodes a {@link FrameType#FILE_ENTRY} payload.
   *
   * @throws ProtocolException if the payload is malformed, truncated or has trailing bytes
   */
  public static FileEntryMessage decode(byte[] payload) throws ProtocolException {
    PayloadReader in = new PayloadReader(payload, "FILE_ENTRY");
    FileEntryMessage message = new FileEntryMessage(in.readString("path"),
        in.readNullableString("mediaType"), in.readBoolean("directory"));
    in.expectEnd();
    return message;
  }
}
