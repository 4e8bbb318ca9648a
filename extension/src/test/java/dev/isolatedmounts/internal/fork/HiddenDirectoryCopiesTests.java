package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HiddenDirectoryCopies removes what a child made in a bind's source to show its"
    + " own directory again")
class HiddenDirectoryCopiesTests {

  private static final Path CHILD = Path.of("/tmp/isolated-mounts-1-2");

  @TempDir
  Path source;

  @Test
  @DisplayName("the child's directory made in the source of a writable bind onto /tmp")
  void removed() throws IOException {
    HiddenDirectoryCopies copies = HiddenDirectoryCopies.before(readOnlyRoot(bind("/tmp", false)),
        CHILD);
    Files.createDirectories(source.resolve("isolated-mounts-1-2"));

    copies.remove();

    assertThat(source).isEmptyDirectory();
  }

  @Test
  @DisplayName("also where the bind's target is a symbolic link to /tmp, as the child mounts on"
      + " the link's target")
  void throughALink(@TempDir Path links) throws IOException {
    Path link = Files.createSymbolicLink(links.resolve("tmp"), Path.of("/tmp"));
    HiddenDirectoryCopies copies = HiddenDirectoryCopies.before(
        readOnlyRoot(bind(link.toString(), false)), CHILD);
    Files.createDirectories(source.resolve("isolated-mounts-1-2"));

    copies.remove();

    assertThat(source).isEmptyDirectory();
  }

  @Test
  @DisplayName("and the directories made above it, not those that were there before")
  void deeper() throws IOException {
    Files.createDirectories(source.resolve("var"));
    HiddenDirectoryCopies copies = HiddenDirectoryCopies.before(
        readOnlyRoot(bind("/", false)), Path.of("/var/tmp/build/isolated-mounts-1-2"));
    Files.createDirectories(source.resolve("var/tmp/build/isolated-mounts-1-2"));

    copies.remove();

    assertThat(source.resolve("var")).isEmptyDirectory();
  }

  @Test
  @DisplayName("but not one that holds something else, nor one that existed before")
  void kept() throws IOException {
    Files.createDirectories(source.resolve("isolated-mounts-1-2"));
    HiddenDirectoryCopies existed = HiddenDirectoryCopies.before(
        readOnlyRoot(bind("/tmp", false)), CHILD);
    existed.remove();
    assertThat(source.resolve("isolated-mounts-1-2")).isEmptyDirectory();

    Files.delete(source.resolve("isolated-mounts-1-2"));
    HiddenDirectoryCopies copies = HiddenDirectoryCopies.before(
        readOnlyRoot(bind("/tmp", false)), CHILD);
    Files.createDirectories(source.resolve("isolated-mounts-1-2"));
    Files.writeString(source.resolve("isolated-mounts-1-2/file"), "the test's");
    copies.remove();
    assertThat(source.resolve("isolated-mounts-1-2/file")).hasContent("the test's");
  }

  @Test
  @DisplayName("nothing without a read-only root, for a read-only bind or one elsewhere")
  void nothing() throws IOException {
    List<HiddenDirectoryCopies> none = List.of(
        HiddenDirectoryCopies.before(new MountPlan(Propagation.PRIVATE,
            List.of(bind("/tmp", false))), CHILD),
        HiddenDirectoryCopies.before(readOnlyRoot(bind("/tmp", true)), CHILD),
        HiddenDirectoryCopies.before(readOnlyRoot(bind("/srv", false)), CHILD),
        HiddenDirectoryCopies.before(readOnlyRoot(new TmpfsSpec("/tmp", "", 01777)), CHILD));
    Files.createDirectories(source.resolve("isolated-mounts-1-2"));

    none.forEach(HiddenDirectoryCopies::remove);

    assertThat(source.resolve("isolated-mounts-1-2")).isDirectory();
  }

  private BindSpec bind(String target, boolean readOnly) {
    return new BindSpec(source.toString(), target, readOnly);
  }

  private static MountPlan readOnlyRoot(MountSpec spec) {
    return new MountPlan(Propagation.PRIVATE, List.of(spec), true, false, false);
  }
}
