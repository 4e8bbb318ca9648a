package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.linux.SyscallException;
import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Overlay failures are explained")
class OverlayFailureTests {

  private static final MountPlan WITH_OVERLAY =
      new MountPlan(Propagation.PRIVATE, List.of(new OverlaySpec("/etc")));
  private static final FileSystemException EOVERFLOW =
      new FileSystemException("/etc/x: Value too large for defined data type");

  @Test
  @DisplayName("EOVERFLOW in a failure, unprivileged with an overlay: says why, keeps the cause")
  void copyUp() {
    UncheckedIOException thrown = new UncheckedIOException(EOVERFLOW);

    Result explained = CopyUpFailure.explain(new Result(Outcome.FAILED, thrown), WITH_OVERLAY,
        false);

    assertThat(explained.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(explained.throwable()).isInstanceOf(IsolationException.class)
        .hasMessageStartingWith("The test failed writing below @Overlay(\"/etc\") with EOVERFLOW")
        .hasMessageContaining("Run the tests as root, or copy the fixture")
        .cause().isSameAs(thrown);
  }

  @Test
  @DisplayName("a write denied below an overlay, unprivileged: a note says why, the type stays")
  void denied() {
    AccessDeniedException below = new AccessDeniedException("/etc/ssl/certs/x.pem");
    Result failed = new Result(Outcome.FAILED, new UncheckedIOException(below));

    assertThat(CopyUpFailure.explain(failed, WITH_OVERLAY, false)).isSameAs(failed);

    assertThat(failed.throwable().getSuppressed()).singleElement()
        .isInstanceOf(IsolationException.class).extracting(Throwable::getMessage).asString()
        .startsWith("Access to /etc/ssl/certs/x.pem below @Overlay(\"/etc\") was denied: an"
            + " overlay shows each file with its owner and mode, and this test runs as uid ")
        .endsWith("Run the tests as root, or copy the fixture the test needs into a @Tmpfs");
  }

  @Test
  @DisplayName("a write denied as root, outside every overlay, or below a mount within one gets no"
      + " note")
  void deniedElsewhere() {
    Result asRoot = new Result(Outcome.FAILED, new AccessDeniedException("/etc/x"));
    Result outside = new Result(Outcome.FAILED, new AccessDeniedException("/var/lib/x"));
    Result belowABind = new Result(Outcome.FAILED, new AccessDeniedException("/etc/app/x"));
    Result noPath = new Result(Outcome.FAILED, new AccessDeniedException("/etc/\0x"));
    MountPlan bindInOverlay = new MountPlan(Propagation.PRIVATE, List.of(new OverlaySpec("/etc"),
        new dev.isolatedmounts.internal.plan.BindSpec("/srv/app", "/etc/app", true)));

    CopyUpFailure.explain(asRoot, WITH_OVERLAY, true);
    CopyUpFailure.explain(outside, WITH_OVERLAY, false);
    CopyUpFailure.explain(belowABind, bindInOverlay, false);
    CopyUpFailure.explain(noPath, WITH_OVERLAY, false);

    assertThat(asRoot.throwable().getSuppressed()).isEmpty();
    assertThat(outside.throwable().getSuppressed()).isEmpty();
    assertThat(belowABind.throwable().getSuppressed()).isEmpty();
    assertThat(noPath.throwable().getSuppressed()).isEmpty();
  }

  @Test
  @DisplayName("anything else is left as it is: root, no overlay, another error, a success")
  void leftAlone() {
    Result failed = new Result(Outcome.FAILED, EOVERFLOW);
    MountPlan tmpfsOnly = new MountPlan(Propagation.PRIVATE,
        List.of(new TmpfsSpec("/etc", "", 0755)));

    assertThat(CopyUpFailure.explain(failed, WITH_OVERLAY, true)).isSameAs(failed);
    assertThat(CopyUpFailure.explain(failed, tmpfsOnly, false)).isSameAs(failed);
    Result other = new Result(Outcome.FAILED, new IOException("No space left on device"));
    assertThat(CopyUpFailure.explain(other, WITH_OVERLAY, false)).isSameAs(other);
    Result passed = new Result(Outcome.SUCCESSFUL, null);
    assertThat(CopyUpFailure.explain(passed, WITH_OVERLAY, false)).isSameAs(passed);
  }

  @Test
  @DisplayName("an overlay mount refused in a user namespace names the kernel it needs")
  void oldKernel(@TempDir Path notAMountPoint) {
    // Unmounting a plain directory fails harmlessly: EINVAL as root, EPERM otherwise.
    SyscallException refused = catchThrowableOfType(SyscallException.class,
        () -> Syscalls.umount2(notAMountPoint.toString(), 0));

    assertThat(OverlayLayers.explain(new OverlaySpec("/etc"), refused, true, "5.10.0", "ext4"))
        .startsWith("Could not apply @Overlay(\"/etc\"): umount2(")
        .contains("An overlay mount in an unprivileged user namespace needs Linux 5.11 or newer"
            + " (this kernel: 5.10.0)");
    assertThat(OverlayLayers.explain(new OverlaySpec("/etc"), refused, false, "5.10.0", "ext4"))
        .doesNotContain("5.11");
  }

  @Test
  @DisplayName("on a kernel new enough, a refused overlay names the file system, not the kernel")
  void refusedFileSystem(@TempDir Path notAMountPoint) {
    // A flag umount2 does not know: EINVAL for any user, checked before any permission.
    SyscallException refused = catchThrowableOfType(SyscallException.class,
        () -> Syscalls.umount2(notAMountPoint.toString(), 0x100));
    assertThat(refused.errno()).isEqualTo(22);

    for (boolean userNamespace : new boolean[] {true, false}) {
      assertThat(OverlayLayers.explain(new OverlaySpec("/proc/sys"), refused, userNamespace,
              "6.18.44-fc", "proc"))
          .doesNotContain("5.11")
          .endsWith(". The kernel (6.18.44-fc) refused an overlay of /proc/sys, which is on proc:"
              + " overlayfs does not stack on every file system (the kernel's log, dmesg, says"
              + " why); @Bind a directory of your own onto it, or copy the files the test needs"
              + " into a @Tmpfs instead");
    }
  }

  @Test
  @DisplayName("on a kernel new enough, an overlay not permitted (EPERM) is blamed on policy")
  void notPermitted(@TempDir Path notAMountPoint) {
    // EPERM for a user without the capability, EINVAL (not a mount point) for root.
    SyscallException refused = catchThrowableOfType(SyscallException.class,
        () -> Syscalls.umount2(notAMountPoint.toString(), 0));

    String explained = OverlayLayers.explain(new OverlaySpec("/etc"), refused, true,
        "6.18.44-fc", "ext4");
    if (refused.errno() == 1) {
      assertThat(explained).endsWith(". The kernel (6.18.44-fc) did not permit it: a security"
          + " module (AppArmor, SELinux) or a setting of the machine may forbid overlay mounts"
          + " here (the kernel's log, dmesg, may say which); copy the files the test needs into"
          + " a @Tmpfs instead");
    } else {
      assertThat(explained).contains("overlayfs does not stack on every file system");
    }
  }
}
