package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Kept mounts: the reproduce command and the directory name")
class ReproduceCommandTests {

  @Test
  @DisplayName("unprivileged: --map-root-user, mounts in plan order, userxattr, absent targets"
      + " made inside a tmpfs of the plan, or in a new root when only / holds them")
  void unprivileged() {
    MountPlan plan = new MountPlan(Propagation.SHARED, List.of(
        new TmpfsSpec("/tmp", "4m", 0700),
        new TmpfsSpec("/tmp/absent-below-own", "", 0755),
        new BindSpec("/etc/hostname", "/no/such/target", true),
        new BindSpec("/etc", "/mnt", true),
        new OverlaySpec("/usr")));

    assertThat(ReproduceCommand.of(plan, Path.of("/k"), false)).isEqualTo(
        "unshare --user --map-root-user --mount --propagation private sh -c '"
            + "mount -n --make-rshared /"
            + " && mount -n -t tmpfs -o mode=0700,size=4m isolated-mounts /tmp"
            + " && mkdir -p /tmp/absent-below-own"
            + " && mount -n -t tmpfs -o mode=0755 isolated-mounts /tmp/absent-below-own"
            + " && w=$(pwd) && r=$(mktemp -d)"
            + " && mount -n -t tmpfs -o mode=0755 isolated-mounts \"$r\""
            + " && for e in /* /.[!.]* /..?*; do"
            + " { [ -e \"$e\" ] || [ -L \"$e\" ]; } || continue; n=\"$r\"/\"${e##*/}\";"
            + " if [ -L \"$e\" ]; then cp -P \"$e\" \"$n\";"
            + " elif [ -d \"$e\" ]; then mkdir \"$n\" && mount -n --rbind \"$e\" \"$n\";"
            + " else touch \"$n\" && mount -n --bind \"$e\" \"$n\"; fi; done"
            + " && cd \"$r\" && mkdir .old && pivot_root . .old && cd / && umount -n -l /.old"
            + " && rmdir /.old && umount -n -l \"$r\" && rmdir \"$r\" && cd \"$w\""
            + " && mkdir -p /no/such && touch /no/such/target"
            + " && mount -n --bind /etc/hostname /no/such/target"
            + " && mount -n -o remount,bind,ro /no/such/target"
            + " && mount -n --bind /etc /mnt && mount -n -o remount,bind,ro /mnt"
            + " && d=$(mktemp -d) && mount -n -t tmpfs isolated-mounts \"$d\""
            + " && mkdir \"$d/u\" \"$d/w\""
            + " && mount -n -t overlay overlay -o lowerdir=/usr,upperdir=\"$d/u\",workdir=\"$d/w\""
            + ",userxattr /usr && umount -n -l \"$d\" && rmdir \"$d\" && exec \"${SHELL:-sh}\"'");
  }

  @Test
  @DisplayName("an overlay's deleted files are deleted again, odd names too, and nothing else")
  void deletedAgain(@TempDir Path directory) throws Exception {
    Path target = Files.createDirectory(directory.resolve("lower dir"));
    for (String name : List.of("a b", "it's", "keep", "sub")) {
      Files.createDirectories(target.resolve(name));
    }
    Path kept = directory.resolve("kept");
    Path deleted = kept.resolve("overlay" + target + ".deleted");
    Files.createDirectories(deleted.getParent());
    // An empty line (a name that was only a line break) must not delete the target's all.
    Files.writeString(deleted, "a b\n\nit's\nsub\nnot there\n");

    String command = ReproduceCommand.of(new MountPlan(Propagation.PRIVATE,
        List.of(new OverlaySpec(target.toString()))), kept, true);
    String step = ReproduceCommand.deletedAgain(target.toString(), deleted);
    Process run = new ProcessBuilder("sh", "-c", step + " && echo done").start();

    assertThat(command).contains(" && " + step.replace("'", "'\\''") + " && ");
    assertThat(new String(run.getInputStream().readAllBytes())).isEqualTo("done\n");
    assertThat(run.waitFor()).isZero();
    try (var left = Files.list(target)) {
      assertThat(left.map(path -> path.getFileName().toString())).containsExactly("keep");
    }
  }

  @Test
  @DisplayName("an absent target: its nearest existing directory covered, its entries bound back,"
      + " once for all targets below it")
  void absentTarget(@TempDir Path host) {
    String a = host.toString();
    MountPlan plan = new MountPlan(Propagation.PRIVATE, List.of(
        new TmpfsSpec(a + "/absent/deep", "", 0755),
        new BindSpec("/etc/hostname", a + "/etc/app.conf", false)));

    assertThat(ReproduceCommand.of(plan, Path.of("/k"), true)).isEqualTo(
        "unshare --mount --propagation private sh -c '"
            + "o=$(mktemp -d) && mount -n --rbind " + a + " \"$o\""
            + " && mount -n -t tmpfs isolated-mounts "
            + a + " && for e in \"$o\"/* \"$o\"/.[!.]* \"$o\"/..?*; do"
            + " { [ -e \"$e\" ] || [ -L \"$e\" ]; } || continue; n=" + a + "/\"${e##*/}\";"
            + " if [ -L \"$e\" ]; then cp -P \"$e\" \"$n\";"
            + " elif [ -d \"$e\" ]; then mkdir \"$n\" && mount -n --rbind \"$e\" \"$n\";"
            + " else touch \"$n\" && mount -n --bind \"$e\" \"$n\"; fi; done"
            + " && umount -n -l \"$o\" && rmdir \"$o\""
            + " && mkdir -p " + a + "/absent/deep"
            + " && mount -n -t tmpfs -o mode=0755 isolated-mounts " + a + "/absent/deep"
            + " && mkdir -p " + a + "/etc && touch " + a + "/etc/app.conf"
            + " && mount -n --bind /etc/hostname " + a + "/etc/app.conf"
            + " && exec \"${SHELL:-sh}\"'");
  }

  @Test
  @DisplayName("the directory of a read-only bind, covered for a target below it, is made"
      + " read-only again once all targets are made")
  void belowAReadOnlyBind(@TempDir Path host) throws IOException {
    Path target = Files.createDirectories(host.resolve("ro"));
    Path source = Files.createDirectories(host.resolve("source"));
    MountPlan plan = new MountPlan(Propagation.PRIVATE, List.of(
        new BindSpec(source.toString(), target.toString(), true),
        new TmpfsSpec(target + "/cache", "", 0755),
        new TmpfsSpec(target + "/cache/deeper", "", 0755)));

    String command = ReproduceCommand.of(plan, Path.of("/k"), true);

    String covers = covers(command);
    assertThat(covers).isEqualTo("unshare --mount --propagation private sh -c '"
        + "mount -n --bind " + source + " " + target + " && mount -n -o remount,bind,ro " + target
        + " && cover " + target + " && mkdir -p " + target + "/cache"
        + " && mount -n -t tmpfs -o mode=0755 isolated-mounts " + target + "/cache"
        + " && mkdir -p " + target + "/cache/deeper"
        + " && mount -n -t tmpfs -o mode=0755 isolated-mounts " + target + "/cache/deeper"
        + " && mount -n -o remount,bind,ro " + target + " && exec \"${SHELL:-sh}\"'");
  }

  /**
   * What the command has mounted decides where a path can be made: not in a host directory
   * bound back into a covered one, nor in a bind's source, and inside a tmpfs of the plan even
   * where the host has the path.
   */
  @Test
  @DisplayName("makes nothing on the host: covers a host entry of a covered directory, and the"
      + " directory of a bind, and makes a path hidden by a tmpfs of the plan")
  void neverOnTheHost(@TempDir Path host) throws IOException {
    String a = host.resolve("a").toString();
    Files.createDirectories(Path.of(a, "data"));
    Path source = Files.createDirectories(host.resolve("source"));
    MountPlan plan = new MountPlan(Propagation.PRIVATE, List.of(
        new TmpfsSpec(a + "/absent", "", 0755),
        new TmpfsSpec(a + "/data/new", "", 0755),
        new BindSpec(source.toString(), a + "/absent/bound", false),
        new TmpfsSpec(a + "/absent/bound/below", "", 0755),
        new TmpfsSpec("/etc", "", 0755),
        new BindSpec("/etc/hostname", "/etc/passwd", false)));

    String command = ReproduceCommand.of(plan, Path.of("/k"), true);

    String covers = covers(command);
    assertThat(covers).isEqualTo("unshare --mount --propagation private sh -c '"
        + "cover " + a + " && mkdir -p " + a + "/absent"
        + " && mount -n -t tmpfs -o mode=0755 isolated-mounts " + a + "/absent"
        + " && cover " + a + "/data && mkdir -p " + a + "/data/new"
        + " && mount -n -t tmpfs -o mode=0755 isolated-mounts " + a + "/data/new"
        + " && mkdir -p " + a + "/absent/bound"
        + " && mount -n --bind " + source + " " + a + "/absent/bound"
        + " && cover " + a + "/absent/bound && mkdir -p " + a + "/absent/bound/below"
        + " && mount -n -t tmpfs -o mode=0755 isolated-mounts " + a + "/absent/bound/below"
        + " && mount -n -t tmpfs -o mode=0755 isolated-mounts /etc"
        + " && mkdir -p /etc && touch /etc/passwd && mount -n --bind /etc/hostname /etc/passwd"
        + " && exec \"${SHELL:-sh}\"'");
  }

  @Test
  @DisplayName("as root: no user namespace; SLAVE and UNBINDABLE as unshare and mount say them")
  void root() {
    assertThat(ReproduceCommand.of(new MountPlan(Propagation.SLAVE, List.of()), Path.of("/k"),
        true)).isEqualTo("unshare --mount --propagation slave sh -c 'exec \"${SHELL:-sh}\"'");
    assertThat(ReproduceCommand.of(new MountPlan(Propagation.UNBINDABLE, List.of()),
        Path.of("/k"), true)).isEqualTo("unshare --mount --propagation private sh -c"
            + " 'mount -n --make-runbindable / && exec \"${SHELL:-sh}\"'");
  }

  @Test
  @DisplayName("quotes only what the shell would split or expand")
  void quoting() {
    assertThat(ReproduceCommand.quote("/var/lib/app")).isEqualTo("/var/lib/app");
    assertThat(ReproduceCommand.quote("/a b/it's")).isEqualTo("'/a b/it'\\''s'");
  }

  @Test
  @DisplayName("the directory is named by the test's id, file-name safe, shortened when long")
  void directoryName() {
    assertThat(KeptArtifacts.directoryName(
        "[engine:junit-jupiter]/[class:a.KvTest$Inner]/[method:put(java.lang.String)]"))
        .isEqualTo("a.KvTest_Inner.put(java.lang.String)");
    assertThat(KeptArtifacts.directoryName("[engine:junit-jupiter]/[class:a.B]"
        + "/[test-template:t(int)]/[test-template-invocation:#2]"))
        .isEqualTo("a.B.t(int).#2");
    String longName = KeptArtifacts.directoryName(
        "[engine:junit-jupiter]/[class:" + "x".repeat(300) + "]");
    assertThat(longName).hasSizeLessThan(140).startsWith("xxxx");
  }

  /** The command with each cover, written out in absentTarget(), as "cover DIRECTORY". */
  private static String covers(String command) {
    return command.replaceAll("o=\\$\\(mktemp -d\\) && mount -n --rbind (\\S+) \"\\$o\""
        + " && mount -n -t tmpfs isolated-mounts \\1 && for e in .*? done && umount -n -l \"\\$o\""
        + " && rmdir \"\\$o\"", "cover $1");
  }
}
