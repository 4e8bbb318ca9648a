package dev.isolatedmounts.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ExistingAncestor")
class ExistingAncestorTests {

  @Test
  @DisplayName("find the nearest ancestor that exists, not the path itself")
  void nearest(@TempDir Path directory) throws IOException {
    Files.createDirectory(directory.resolve("a"));
    assertThat(ExistingAncestor.of(directory.resolve("a/b/c"))).isEqualTo(directory.resolve("a"));
    assertThat(ExistingAncestor.of(directory.resolve("a"))).isEqualTo(directory);
  }

  @Test
  @DisplayName("take a dangling link for absent")
  void throughLinks(@TempDir Path directory) throws IOException {
    Files.createSymbolicLink(directory.resolve("dangling"), directory.resolve("absent"));
    assertThat(ExistingAncestor.of(directory.resolve("dangling/x"))).isEqualTo(directory);
  }

  @Test
  @DisplayName("end at the root")
  void root() {
    assertThat(ExistingAncestor.of(Path.of("/isolated-mounts-absent/a/b")))
        .isEqualTo(Path.of("/"));
  }
}
