package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real Maven build of a project with a {@code module-info.java} (it/src/test/modular-build):
 * Surefire runs its tests on the module path, and an isolated test's child must find the test in
 * its module.
 */
@Tag("maven-build")
@DisplayName("Tests on the module path")
class ModulePathTests {

  private static final Path WORK = NestedMavenBuild.ROOT.resolve("it/target/modular-build");

  @Test
  @DisplayName("an isolated test runs in its child, in its module, with its mounts")
  void isolatedInItsModule() throws Exception {
    Path project = WORK.resolve("project");
    NestedMavenBuild.deleteRecursively(project);
    NestedMavenBuild.copyTree(NestedMavenBuild.ROOT.resolve("it/src/test/modular-build"),
        project);

    NestedMavenBuild.Result build = NestedMavenBuild.verify(WORK, project.resolve("pom.xml"));

    assertThat(build.status()).as("mvn exit status; its log:\n%s", build.log()).isZero();
    assertThat(build.log()).as("its one test")
        .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
    assertThat(Files.readString(project.resolve(
            "target/surefire-reports/TEST-demo.store.StoreTest.xml")))
        .contains("testcase name=\"putThenGet\"").doesNotContain("<failure", "<error");
    assertThat(Files.readString(project.resolve("target/surefire-reports/demo.store.StoreTest.txt")))
        .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
    assertThat(Path.of("/var/lib/demo-store")).doesNotExist();
  }
}
