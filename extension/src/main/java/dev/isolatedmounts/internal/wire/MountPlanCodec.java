package dev.isolatedmounts.internal.wire;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.util.ArrayList;
import java.util.List;

/** Writes and reads a {@link MountPlan} inside an {@link Assignment}. */
final class MountPlanCodec {

  /** The most mounts a decoded plan may have; no test declares thousands. */
  static final int MAX_MOUNTS = 4096;

  private static final byte TMPFS = 1;
  private static final byte BIND = 2;
  private static final byte OVERLAY = 3;

  private MountPlanCodec() {}

  static void write(MountPlan plan, PayloadWriter out) {
    out.writeEnum(plan.propagation());
    out.writeInt(plan.mounts().size());
    for (MountSpec mount : plan.mounts()) {
      if (mount instanceof TmpfsSpec tmpfs) {
        out.writeByte(TMPFS);
        out.writeString(tmpfs.target());
        out.writeString(tmpfs.size());
        out.writeInt(tmpfs.mode());
      } else if (mount instanceof BindSpec bind) {
        out.writeByte(BIND);
        out.writeString(bind.source());
        out.writeString(bind.target());
        out.writeBoolean(bind.readOnly());
      } else if (mount instanceof OverlaySpec overlay) {
        out.writeByte(OVERLAY);
        out.writeString(overlay.target());
      } else {
        // MountSpec is sealed; this only fires if a new kind is added without a wire form.
        throw new IllegalArgumentException("no wire form for " + mount.getClass().getName());
      }
    }
    out.writeBoolean(plan.readOnlyRoot());
    out.writeBoolean(plan.trapExit());
    out.writeBoolean(plan.keepOnFailure());
  }

  static MountPlan read(PayloadReader in) throws ProtocolException {
    Propagation propagation = in.readEnum(Propagation.class, "propagation");
    int count = in.readCount("mounts", MAX_MOUNTS);
    List<MountSpec> mounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte kind = in.readByte("mount kind");
      if (kind == TMPFS) {
        mounts.add(new TmpfsSpec(
            in.readString("tmpfs target"), in.readString("tmpfs size"), in.readInt("tmpfs mode")));
      } else if (kind == BIND) {
        mounts.add(new BindSpec(
            in.readString("bind source"),
            in.readString("bind target"),
            in.readBoolean("bind readOnly")));
      } else if (kind == OVERLAY) {
        mounts.add(new OverlaySpec(in.readString("overlay target")));
      } else {
        throw in.malformed("unknown mount kind " + kind + "; expected " + TMPFS + " (tmpfs), "
            + BIND + " (bind) or " + OVERLAY + " (overlay)");
      }
    }
    return new MountPlan(propagation, mounts, in.readBoolean("readOnlyRoot"),
        in.readBoolean("trapExit"), in.readBoolean("keepOnFailure"));
  }
}
