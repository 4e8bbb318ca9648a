package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isolatedmounts.internal.linux.MountTable;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MountVerifier reports failure when")
class MountVerifierTests {

  private static final MountTable TABLE = MountTable.parse(String.join("\n",
      "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
      "60 27 0:40 / /var/lib/app rw,nosuid,nodev - tmpfs isolated-mounts rw,size=4096k",
      "61 27 254:0 /work/conf /etc/app ro,relatime - ext4 /dev/vda rw",
      "62 27 254:0 /work/data /srv/data rw,relatime - ext4 /dev/vda rw"));

  private final TmpfsSpec tmpfs = new TmpfsSpec("/var/lib/app", "4m", 0700);
  private final BindSpec readOnly = new BindSpec("/work/conf", "/etc/app", true);

  private static Map<MountSpec, Path> mounted(MountSpec... specs) {
    Map<MountSpec, Path> map = new LinkedHashMap<>();
    for (MountSpec spec : specs) {
      map.put(spec, Path.of(spec.target()));
    }
    return map;
  }

  @Test
  @DisplayName("nothing is wrong: it passes")
  void passes() {
    assertThatCode(() -> new MountVerifier().verify(mounted(tmpfs, readOnly), "mnt:[2]",
        "mnt:[1]", TABLE)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("the namespace is the parent's")
  void sameNamespace() {
    assertThatThrownBy(() -> new MountVerifier().verify(mounted(tmpfs), "mnt:[1]", "mnt:[1]",
        TABLE)).isInstanceOf(IsolationException.class).hasMessage("Isolation could not be"
            + " verified, so the test did not run: the child shares the parent's mount namespace"
            + " mnt:[1]");
  }

  @Test
  @DisplayName("a mount is missing, of the wrong type, or rw instead of ro")
  void wrongMounts() {
    TmpfsSpec missing = new TmpfsSpec("/var/cache/app", "", 0755);
    TmpfsSpec notTmpfs = new TmpfsSpec("/srv/data", "", 0755);
    BindSpec notReadOnly = new BindSpec("/work/data", "/srv/data", true);

    assertThatThrownBy(() -> new MountVerifier().verify(mounted(missing, notTmpfs),
        "mnt:[2]", "mnt:[1]", TABLE)).hasMessage("Isolation could not be verified, so the test"
            + " did not run: @Tmpfs(\"/var/cache/app\") is not a mount point in"
            + " /proc/self/mountinfo; @Tmpfs(\"/srv/data\") is mounted as ext4, not tmpfs");
    assertThatThrownBy(() -> new MountVerifier().verify(mounted(notReadOnly), "mnt:[2]",
        "mnt:[1]", TABLE)).hasMessageEndingWith("@Bind(source = \"/work/data\", target ="
            + " \"/srv/data\", readOnly = true) is mounted rw at /srv/data");
  }

  @Test
  @DisplayName("a mount is hidden by one made after it on a directory above it")
  void hidden() {
    MountTable covered = MountTable.parse(String.join("\n",
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
        "60 27 0:40 / /run/app rw,nosuid,nodev - tmpfs isolated-mounts rw",
        "61 27 0:41 / /run rw,nosuid,nodev - tmpfs isolated-mounts rw"));
    TmpfsSpec app = new TmpfsSpec("/run/app", "", 0755);

    assertThatThrownBy(() -> new MountVerifier().verify(mounted(app), "mnt:[2]", "mnt:[1]",
        covered)).hasMessage("Isolation could not be verified, so the test did not run:"
            + " @Tmpfs(\"/run/app\") is mounted at /run/app but hidden by a mount made after it"
            + " on a directory above it");
  }

  @Test
  @DisplayName("a writable bind is read-only, since its source is on a read-only mount")
  void readOnlySource() {
    MountTable readOnlyRoot = MountTable.parse(String.join("\n",
        "27 1 254:0 / / ro,relatime - ext4 /dev/vda ro",
        "60 27 254:0 /etc /srv/app ro,relatime - ext4 /dev/vda ro"));
    BindSpec writable = new BindSpec("/etc", "/srv/app", false);

    assertThatThrownBy(() -> new MountVerifier().verify(mounted(writable), "mnt:[2]", "mnt:[1]",
        readOnlyRoot)).hasMessage("Isolation could not be verified, so the test did not run:"
            + " @Bind(source = \"/etc\", target = \"/srv/app\") is mounted ro at /srv/app,"
            + " since its source /etc is on the read-only mount at /, whose flags a bind takes:"
            + " declare it with readOnly = true, or bind a writable source (a copy of it in a"
            + " @Tmpfs, say)");
  }
}
