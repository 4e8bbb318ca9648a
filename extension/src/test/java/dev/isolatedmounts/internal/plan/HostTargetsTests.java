package dev.isolatedmounts.internal.plan;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HostTargets: a target the kernel would refuse fails in the parent")
class HostTargetsTests {

  private static final String WHERE = "method T.test()";

  @TempDir
  Path host;
  private Path directory;
  private Path file;

  @BeforeEach
  void layout() throws IOException {
    directory = Files.createDirectory(host.resolve("dir"));
    file = Files.createFile(directory.resolve("file"));
  }

  @Test
  @DisplayName("a tmpfs on a file")
  void tmpfsOnAFile() {
    assertThatThrownBy(() -> check(tmpfs(file)))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("@Tmpfs on method T.test(): value must be a directory, but " + file
            + " is not one; a tmpfs is mounted on a directory: mount it on " + directory
            + ", or @Bind a file of your own onto " + file);
  }

  @Test
  @DisplayName("a tmpfs on a file in /: the fix is not to mount it on /, which is refused")
  void tmpfsOnAFileInRoot() {
    assertThat(HostTargets.typeProblem("@Tmpfs", Path.of("/.dockerenv"), true))
        .isEqualTo("must be a directory, but /.dockerenv is not one; a tmpfs is mounted on a"
            + " directory: @Bind a file of your own onto /.dockerenv");
  }

  @Test
  @DisplayName("a directory bound onto a file, and a file onto a directory")
  void bindTypes() {
    assertThatThrownBy(() -> check(new BindSpec(directory.toString(), file.toString(), false)))
        .hasMessage("@Bind on method T.test(): target must be a directory, since the source is"
            + " one, but " + file + " is a file; a directory is bound onto a directory: give a"
            + " directory as the target, or a file as the source");
    assertThatThrownBy(() -> check(new BindSpec(file.toString(), directory.toString(), false)))
        .hasMessage("@Bind on method T.test(): target must be a file, since the source is one,"
            + " but " + directory + " is a directory; a file is bound onto a file: give the path"
            + " of a file in it, such as " + directory.resolve("name") + ", or a directory as"
            + " the source");
  }

  @Test
  @DisplayName("an absent target below a file")
  void belowAFile() {
    Path target = file.resolve("deeper/still");
    assertThatThrownBy(() -> check(tmpfs(target)))
        .hasMessage("@Tmpfs on method T.test(): value " + target + " cannot be made: " + file
            + " is a file, not a directory; correct the path");
  }

  @Test
  @DisplayName("an absent target below a link to nothing")
  void belowADanglingLink() throws IOException {
    Path link = Files.createSymbolicLink(directory.resolve("link"), host.resolve("nothing"));
    Path target = link.resolve("data");
    assertThatThrownBy(() -> check(tmpfs(target)))
        .hasMessage("@Tmpfs on method T.test(): value " + target + " cannot be made: " + link
            + " is a symbolic link to " + host.resolve("nothing") + ", which does not exist, and"
            + " a target is made inside the namespace only, never through a link; create what"
            + " the link names, or choose a target not below the link");
  }

  @Test
  @DisplayName("a target in a directory the user cannot read: refused, but for root, who can")
  void unreadableAncestor() throws IOException {
    Path locked = Files.createDirectory(host.resolve("locked"),
        PosixFilePermissions.asFileAttribute(Set.of()));
    Path target = locked.resolve("sub");
    try {
      if (System.getProperty("user.name").equals("root")) {
        assertThatCode(() -> check(tmpfs(target))).doesNotThrowAnyException();
      } else {
        assertThatThrownBy(() -> check(tmpfs(target)))
            .hasMessage("@Tmpfs on method T.test(): value " + target + " cannot be reached: "
                + locked + " is not readable and searchable by user "
                + System.getProperty("user.name") + ", who runs the tests, so whether " + target
                + " exists cannot be checked, nor can it be made there in the namespace; choose a"
                + " target elsewhere, or run the tests as a user who can read " + locked);
      }
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  @DisplayName("an absent target in /proc")
  void inProc() {
    assertThatThrownBy(() -> check(tmpfs(Path.of("/proc/isolated-mounts-absent/deeper"))))
        .hasMessage("@Tmpfs on method T.test(): value /proc/isolated-mounts-absent/deeper does"
            + " not exist, and cannot be made in /proc, which is on the kernel's proc file system"
            + " (its entries are the kernel's, and change with the processes): mount on an"
            + " existing directory there, or choose a target outside /proc");
  }

  @Test
  @DisplayName("accepted: matching types, and absent targets in a directory")
  void accepted() {
    assertThatCode(() -> check(
        tmpfs(directory),
        new BindSpec(file.toString(), host.resolve("absent-file").toString(), false),
        new BindSpec(directory.toString(), host.resolve("absent/deep").toString(), true)))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("accepted: any target below an earlier mount, which hides the host's path")
  void belowAnEarlierMount() {
    assertThatCode(() -> check(tmpfs(directory), tmpfs(file), tmpfs(file.resolve("below"))))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("an overlay below a tmpfs, which has nothing to show")
  void overlayBelowATmpfs() {
    Path below = directory.resolve("ssl");
    assertThatThrownBy(() -> check(tmpfs(directory), new OverlaySpec(below.toString())))
        .hasMessage("@Overlay on method T.test(): value " + below + " is below @Tmpfs(\""
            + directory + "\") (on method T.test()), whose fresh, empty tmpfs has no " + below
            + " to show: an overlay shows an existing directory copy-on-write; drop the @Overlay"
            + " and make what the test needs in the tmpfs, or overlay " + directory
            + " instead of the tmpfs");
  }

  @Test
  @DisplayName("an overlay below a bind shows the bind's source, which must have the directory")
  void overlayBelowABind() throws IOException {
    Files.createDirectory(directory.resolve("data"));
    Path target = host.resolve("absent-on-the-host");
    BindSpec bind = new BindSpec(directory.toString(), target.toString(), false);

    assertThatCode(() -> check(bind, new OverlaySpec(target.resolve("data").toString())))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> check(bind, new OverlaySpec(target.resolve("missing").toString())))
        .hasMessage("@Overlay on method T.test(): value must be an existing host directory, but "
            + target.resolve("missing") + " does not exist (below " + bind.describe() + ", it is "
            + directory.resolve("missing") + " of the bind's source); an overlay shows a host"
            + " directory copy-on-write, so for a new, empty directory use @Tmpfs(\""
            + target.resolve("missing") + "\") instead");
  }

  private static TmpfsSpec tmpfs(Path target) {
    return new TmpfsSpec(target.toString(), "", 0755);
  }

  private static void check(MountSpec... specs) {
    HostTargets.check(List.of(specs).stream()
        .map(spec -> new PlanReader.Declared(spec, WHERE)).toList());
  }
}
