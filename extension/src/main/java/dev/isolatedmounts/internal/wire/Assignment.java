package dev.isolatedmounts.internal.wire;

import dev.isolatedmounts.internal.plan.MountPlan;
import java.util.Map;
import java.util.Objects;

/**
 * The parent's answer to {@link Hello}: which test the child runs, and the mounts it makes first.
 *
 * @param uniqueId the JUnit unique id of the one test to run
 * @param parentMountNamespace the parent's mount namespace, e.g. {@code mnt:[4026531841]}, which
 *     the child checks its own differs from before it mounts anything
 * @param plan the mounts, in the order they are made
 * @param systemProperties system properties to set in the child before the test runs, in order
 * @param configurationParameters JUnit configuration parameters for the child's launcher, in order
 */
public record Assignment(
    String uniqueId,
    String parentMountNamespace,
    MountPlan plan,
    Map<String, String> systemProperties,
    Map<String, String> configurationParameters) {

  public Assignment {
    Objects.requireNonNull(uniqueId, "uniqueId");
    Objects.requireNonNull(parentMountNamespace, "parentMountNamespace");
    Objects.requireNonNull(plan, "plan");
    systemProperties = StringMaps.orderedCopy(systemProperties, "systemProperties");
    configurationParameters =
        StringMaps.orderedCopy(configurationParameters, "configurationParameters");
  }

  /** Encodes this message as an {@link FrameType#ASSIGNMENT} payload. */
  public byte[] encode() {
    PayloadWriter out = new PayloadWriter();
    out.writeString(uniqueId);
    out.writeString(parentMountNamespace);
    MountPlanCodec.write(plan, out);
    out.writeStringMap(systemProperties);
    out.writeStringMap(configurationParameters);
    return out.toByteArray();
  }

  /**
   * Decodes an {@link FrameType#ASSIGNMENT} payload.
   *
   * @param payload the bytes {@link #encode()} produced
   * @return the message, with both maps in their original order
   * @throws ProtocolException if the payload is malformed, truncated or has trailing bytes
   */
  public static Assignment decode(byte[] payload) throws ProtocolException {
    PayloadReader in = new PayloadReader(payload, "ASSIGNMENT");
    Assignment assignment = new Assignment(
        in.readString("uniqueId"),
        in.readString("parentMountNamespace"),
        MountPlanCodec.read(in),
        in.readStringMap("systemProperties", StringMaps.MAX_ENTRIES),
        in.readStringMap("configurationParameters", StringMaps.MAX_ENTRIES));
    in.expectEnd();
    return assignment;
  }
}
