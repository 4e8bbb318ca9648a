package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MountTableTests {

  private static MountTable table(String... lines) {
    return MountTable.parse(String.join("\n", lines) + "\n");
  }

  private static MountEntry entry(String line) {
    return table(line).entries().get(0);
  }

  @Nested
  @DisplayName("parse")
  class Parse {

    @Test
    @DisplayName("reports every field of a line without optional fields")
    void plainLine() {
      MountEntry entry = entry("63 43 0:39 / /tmp/app rw,nosuid,relatime - tmpfs tmpfs"
          + " rw,size=4096k,mode=700");

      assertThat(entry).isEqualTo(new MountEntry(63, 43, "0:39", "/", "/tmp/app",
          List.of("rw", "nosuid", "relatime"), List.of(), "tmpfs", "tmpfs",
          List.of("rw", "size=4096k", "mode=700")));
    }

    @Test
    @DisplayName("reports the optional field when there is one")
    void oneOptionalField() {
      MountEntry entry = entry("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root"
          + " rw,errors=continue");

      assertThat(entry.root()).isEqualTo("/mnt1");
      assertThat(entry.optionalFields()).containsExactly("master:1");
      assertThat(entry.fsType()).isEqualTo("ext3");
      assertThat(entry.source()).isEqualTo("/dev/root");
      assertThat(entry.superOptions()).containsExactly("rw", "errors=continue");
    }

    @Test
    @DisplayName("reports both optional fields, in order, when there are two")
    void twoOptionalFields() {
      MountEntry entry = entry("29 1 8:1 / / rw,relatime shared:1 master:7 - ext4 /dev/sda1 rw");

      assertThat(entry.optionalFields()).containsExactly("shared:1", "master:7");
      assertThat(entry.fsType()).isEqualTo("ext4");
    }

    @Test
    @DisplayName("decodes the kernel's octal escapes in paths, source and options")
    void escapes() {
      MountEntry entry = entry("70 27 0:40 /a\\040b /mnt/x\\040y\\011z\\012n\\134b\\043h"
          + " rw,relatime - fuse.my\\040fs my\\040src rw,lowerdir=/l\\054m,user_id=0");

      assertThat(entry.root()).isEqualTo("/a b");
      assertThat(entry.mountPoint()).isEqualTo("/mnt/x y\tz\nn\\b#h");
      assertThat(entry.fsType()).isEqualTo("fuse.my fs");
      assertThat(entry.source()).isEqualTo("my src");
      assertThat(entry.superOptions()).containsExactly("rw", "lowerdir=/l,m", "user_id=0");
    }

    @Test
    @DisplayName("keeps a backslash that starts no octal escape")
    void loneBackslash() {
      assertThat(entry("70 27 0:40 / /mnt/a\\b\\09 rw - tmpfs tmpfs rw").mountPoint())
          .isEqualTo("/mnt/a\\b\\09");
    }

    @Test
    @DisplayName("reports an empty source when the kernel shows none")
    void emptySource() {
      MountEntry entry = entry("71 27 0:41 / /mnt/e rw,relatime - tmpfs  rw");

      assertThat(entry.source()).isEmpty();
      assertThat(entry.superOptions()).containsExactly("rw");
    }

    @Test
    @DisplayName("reports entries in file order, also without a final newline")
    void fileOrder() {
      MountTable table = MountTable.parse("1 0 0:1 / / rw - ext4 /dev/a rw\n"
          + "2 1 0:2 / /proc rw - proc proc rw");

      assertThat(table.entries()).extracting(MountEntry::mountId).containsExactly(1, 2);
    }

    @Test
    @DisplayName("reports no entries when the text is empty")
    void empty() {
      assertThat(MountTable.parse("").entries()).isEmpty();
    }
  }

  @Nested
  @DisplayName("parse of a malformed line")
  class Malformed {

    @Test
    @DisplayName("reports the line when the separator is missing")
    void noSeparator() {
      String line = "63 43 0:39 / /tmp/app rw tmpfs tmpfs rw";

      assertThatIllegalArgumentException()
          .isThrownBy(() -> table("1 0 0:1 / / rw - ext4 /dev/a rw", line))
          .withMessage("Malformed mountinfo line 2 (no \" - \" separator after the first 6"
              + " fields): " + line);
    }

    @Test
    @DisplayName("reports the line when a field after the separator is missing")
    void missingTrailingField() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> table("63 43 0:39 / /tmp/app rw - tmpfs rw"))
          .withMessage("Malformed mountinfo line 1 (expected 3 fields after \" - \" (type,"
              + " source, options)): 63 43 0:39 / /tmp/app rw - tmpfs rw");
    }

    @Test
    @DisplayName("reports the line when the mount id is not a number")
    void notANumber() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> table("x 43 0:39 / /tmp/app rw - tmpfs tmpfs rw"))
          .withMessage("Malformed mountinfo line 1 (mount id and parent id must be numbers):"
              + " x 43 0:39 / /tmp/app rw - tmpfs tmpfs rw");
    }

    @Test
    @DisplayName("reports the line when a line is empty")
    void emptyLine() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> MountTable.parse("1 0 0:1 / / rw - ext4 /dev/a rw\n\n"
              + "2 1 0:2 / /proc rw - proc proc rw\n"))
          .withMessageStartingWith("Malformed mountinfo line 2 (");
    }
  }

  @Nested
  @DisplayName("topmostAt and at")
  class Stacked {

    private final MountTable table = table(
        "20 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw",
        "30 20 0:30 / /var/lib/app rw - tmpfs first rw",
        "31 30 0:31 / /var/lib/app rw - tmpfs second rw",
        "40 20 0:40 / /srv ro - tmpfs older rw",
        "41 20 0:41 / /srv rw - tmpfs newer rw");

    @Test
    @DisplayName("reports the last mount stacked at a mount point")
    void lastStacked() {
      assertThat(table.topmostAt("/var/lib/app")).map(MountEntry::source).contains("second");
    }

    @Test
    @DisplayName("reports the mount nothing is mounted on when file order disagrees")
    void mountedBeneath() {
      // 41 was put beneath 40 (MOVE_MOUNT_BENEATH): 40 now sits on 41, and is what path lookup
      // sees, although 41 is newer and comes later in the file.
      MountTable beneath = table(
          "20 1 8:1 / / rw - ext4 /dev/sda1 rw",
          "40 41 0:40 / /srv ro - tmpfs upper rw",
          "41 20 0:41 / /srv rw - tmpfs beneath rw");

      assertThat(beneath.topmostAt("/srv")).map(MountEntry::source).contains("upper");
    }

    @Test
    @DisplayName("reports the last in file order when the stack does not decide")
    void fileOrderDecides() {
      assertThat(table.topmostAt("/srv")).map(MountEntry::source).contains("newer");
    }

    @Test
    @DisplayName("reports nothing when nothing is mounted at the path")
    void nothing() {
      assertThat(table.topmostAt("/var/lib")).isEmpty();
      assertThat(table.at("/var/lib")).isEmpty();
    }

    @Test
    @DisplayName("reports all stacked mounts in file order, ignoring a trailing slash")
    void all() {
      assertThat(table.at("/var/lib/app/")).extracting(MountEntry::source)
          .containsExactly("first", "second");
    }
  }

  @Nested
  @DisplayName("under")
  class Under {

    private final MountTable table = table(
        "20 1 8:1 / / rw - ext4 /dev/sda1 rw",
        "21 20 0:21 / /var/lib rw - tmpfs lib rw",
        "22 21 0:22 / /var/lib/app rw - tmpfs app rw",
        "23 20 0:23 / /var/library rw - tmpfs library rw",
        "24 20 0:24 / /var/lib2 rw - tmpfs lib2 rw");

    @Test
    @DisplayName("reports the mount at the directory and those below it, by whole components")
    void components() {
      assertThat(table.under("/var/lib")).extracting(MountEntry::source)
          .containsExactly("lib", "app");
    }

    @Test
    @DisplayName("reports the same when the directory has a trailing slash")
    void trailingSlash() {
      assertThat(table.under("/var/lib/")).extracting(MountEntry::source)
          .containsExactly("lib", "app");
    }

    @Test
    @DisplayName("reports every mount when the directory is the root")
    void root() {
      assertThat(table.under("/")).hasSize(5);
    }

    @Test
    @DisplayName("reports nothing when nothing is mounted below the directory")
    void nothing() {
      assertThat(table.under("/var/li")).isEmpty();
    }
  }

  @Nested
  @DisplayName("equals")
  class Equality {

    private static final String ROOT = "20 1 8:1 / / rw - ext4 /dev/sda1 rw";
    private static final String APP = "21 20 0:21 / /var/lib/app rw - tmpfs tmpfs rw";

    @Test
    @DisplayName("reports equal tables when the same mounts are listed")
    void equal() {
      assertThat(table(ROOT, APP)).isEqualTo(table(ROOT, APP))
          .hasSameHashCodeAs(table(ROOT, APP));
    }

    @Test
    @DisplayName("reports a difference when a mount was added")
    void added() {
      assertThat(table(ROOT, APP)).isNotEqualTo(table(ROOT));
    }

    @Test
    @DisplayName("reports a difference when a mount's options changed")
    void remounted() {
      assertThat(table(ROOT, APP))
          .isNotEqualTo(table(ROOT, APP.replace("/var/lib/app rw", "/var/lib/app ro")));
    }

    @Test
    @DisplayName("shows one entry a line")
    void text() {
      assertThat(table(ROOT, "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root"
          + " rw,errors=continue")).hasToString("MountTable[\n"
          + "  20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
          + "  36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
          + "]");
    }
  }

  @Nested
  @DisplayName("visible")
  class Visible {

    private final MountTable table = table(
        "20 1 8:1 / / rw - ext4 /dev/sda1 rw",
        "30 20 0:30 / /tmp/child/tmp rw - tmpfs private rw",
        "31 20 0:31 / /etc/hosts rw - ext4 hosts rw",
        "40 20 8:1 /srv/fixture /tmp rw - ext4 /dev/sda1 rw",
        "41 40 0:41 / /tmp/inside rw - tmpfs came-with-the-bind rw",
        "50 20 0:50 / /var/lib/app rw - tmpfs first rw",
        "51 50 0:51 / /var/lib/app rw - tmpfs second rw",
        "52 50 0:52 / /var/lib/app/below-first rw - tmpfs under-first rw",
        "53 51 0:53 / /var/lib/app/below-second rw - tmpfs under-second rw");

    @Test
    @DisplayName("a mount below a directory that a later mount covers is hidden")
    void hiddenByAMountOverAnAncestor() {
      assertThat(table.visible(entry(30))).isFalse();
      assertThat(table.visible(entry(40))).isTrue();
      assertThat(table.visible(entry(41))).isTrue();
    }

    @Test
    @DisplayName("mounts elsewhere, and the root, are visible")
    void elsewhere() {
      assertThat(table.visible(entry(20))).isTrue();
      assertThat(table.visible(entry(31))).isTrue();
    }

    @Test
    @DisplayName("of a stack, only the top and what is mounted in the top's tree are visible")
    void stacked() {
      assertThat(table.visible(entry(50))).isFalse();
      assertThat(table.visible(entry(51))).isTrue();
      assertThat(table.visible(entry(52))).isFalse();
      assertThat(table.visible(entry(53))).isTrue();
    }

    @Test
    @DisplayName("in a chroot, whose mounts' parent is outside the table, a later mount on that"
        + " parent hides those below its point")
    void chroot() {
      MountTable chroot = table(
          "60 5 8:1 /srv/root/etc/resolv.conf /etc/resolv.conf rw - ext4 resolv rw",
          "61 5 8:1 /fixture /etc ro - ext4 bind rw",
          "62 5 0:62 / /tmp rw - tmpfs tmp rw");

      assertThat(chroot.visible(entry(chroot, 60))).isFalse();
      assertThat(chroot.visible(entry(chroot, 61))).isTrue();
      assertThat(chroot.visible(entry(chroot, 62))).isTrue();
    }

    @Test
    @DisplayName("mountOf: the deepest visible mount at a path or above it")
    void mountOf() {
      assertThat(table.mountOf("/tmp/child/tmp/file")).map(MountEntry::mountId).contains(40);
      assertThat(table.mountOf("/tmp/inside/a")).map(MountEntry::mountId).contains(41);
      assertThat(table.mountOf("/tmp/inside")).map(MountEntry::mountId).contains(41);
      assertThat(table.mountOf("/etc/hosts")).map(MountEntry::mountId).contains(31);
      assertThat(table.mountOf("/var/lib/app/x")).map(MountEntry::mountId).contains(51);
      assertThat(table.mountOf("/usr/lib")).map(MountEntry::mountId).contains(20);
    }

    private MountEntry entry(int id) {
      return entry(table, id);
    }

    private static MountEntry entry(MountTable table, int id) {
      return table.entries().stream().filter(e -> e.mountId() == id).findFirst().orElseThrow();
    }
  }

  @Nested
  @DisplayName("readSelf")
  class ReadSelf {

    @Test
    @DisplayName("reports the mount at / that findmnt reports")
    void root() throws Exception {
      String findmnt = Command.output("findmnt", "--noheadings", "--output", "ID",
          "--mountpoint", "/");

      MountTable table = MountTable.readSelf();

      assertThat(table.topmostAt("/")).map(MountEntry::mountId)
          .contains(Integer.parseInt(findmnt));
    }
  }
}
