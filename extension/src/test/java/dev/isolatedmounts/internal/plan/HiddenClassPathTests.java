package dev.isolatedmounts.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Propagation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HiddenClassPath: a mount over the child's own class path")
class HiddenClassPathTests {

  @TempDir
  Path project;
  private String classes;
  private String jar;

  @BeforeEach
  void layout() throws IOException {
    classes = Files.createDirectories(project.resolve("target/test-classes")).toString();
    jar = Files.createFile(project.resolve("lib.jar")).toString();
  }

  @Test
  @DisplayName("a tmpfs over a class path entry, or a bind of another directory, hides it")
  void hidden() {
    assertThat(HiddenClassPath.of(plan(new TmpfsSpec(project.toString(), "", 0755)),
        classPath(jar, classes))).contains("@Tmpfs(\"" + project + "\") would hide " + jar
            + ", which is on the child JVM's class path: the child loads the test's classes"
            + " after its mounts, and would not find them. Choose a target that does not"
            + " contain " + jar + " (a directory below " + project + ", say), or keep the"
            + " project and its dependencies outside " + project);
    assertThat(HiddenClassPath.of(plan(new BindSpec("/etc", project.resolve("target")
        .toString(), true)), classPath(jar, classes))).get().asString()
        .startsWith("@Bind(source = \"/etc\", target = \"" + project.resolve("target")
            + "\", readOnly = true) would hide " + classes + ",");
  }

  @Test
  @DisplayName("a tmpfs over the JDK the child runs on (java.home) hides it")
  void javaHome() {
    String javaHome = System.getProperty("java.home");
    String above = Path.of(javaHome).getParent().toString();

    assertThat(HiddenClassPath.of(plan(new TmpfsSpec(above, "", 0755)), classPath(classes)))
        .contains("@Tmpfs(\"" + above + "\") would hide " + javaHome + ", the JDK the child JVM"
            + " runs on (java.home): the child loads classes and libraries from it after its"
            + " mounts, and would not find them. Choose a target that does not contain "
            + javaHome + " (a directory below " + above + ", say), or run the tests on a JDK"
            + " outside " + above);
  }

  @Test
  @DisplayName("shown: below an overlay, a bind of the same directory, or beside the mounts")
  void shown() {
    assertThat(HiddenClassPath.of(plan(new OverlaySpec(project.toString())),
        classPath(jar, classes))).isEmpty();
    assertThat(HiddenClassPath.of(plan(new TmpfsSpec(project.toString(), "", 0755),
        new BindSpec(project.resolve("target").toString(), project.resolve("target").toString(),
            true)), classPath(classes))).as("bound back over the tmpfs").isEmpty();
    assertThat(HiddenClassPath.of(plan(new TmpfsSpec(project.resolve("data").toString(), "",
        0755)), classPath(jar, classes, project.resolve("data/absent.jar").toString()))).isEmpty();
  }

  private static java.util.Map<String, Path> classPath(String... entries) {
    return HiddenClassPath.realPaths(List.of(entries));
  }

  private static MountPlan plan(MountSpec... mounts) {
    return new MountPlan(Propagation.PRIVATE, List.of(mounts));
  }
}
