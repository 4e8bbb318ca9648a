package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The classes an archive was trained with")
class TrainedClassesTests {

  @Test
  @DisplayName("are kept one per line, the tried ones marked, up to a bound; none if no file")
  void kept(@TempDir Path directory) throws IOException {
    Path file = directory.resolve("names");
    assertThat(TrainedClasses.read(file)).isEqualTo(TrainedClasses.NONE);

    Set<String> many = IntStream.range(0, LoadedClasses.LIMIT + 10)
        .mapToObj(i -> "com.example.C" + i).collect(Collectors.toCollection(LinkedHashSet::new));
    new TrainedClasses(many, Set.of("com.example.Broken")).keep(file);

    TrainedClasses read = TrainedClasses.read(file);
    assertThat(read.held()).hasSize(LoadedClasses.LIMIT)
        .startsWith("com.example.C0", "com.example.C1").doesNotContain("com.example.Broken");
    assertThat(read.tried()).containsExactly("com.example.Broken");
    assertThat(Files.readAllLines(file)).hasSize(LoadedClasses.LIMIT + 1)
        .endsWith("-com.example.Broken");

    TrainedClasses.NONE.keep(file);
    assertThat(file).as("nothing to keep").doesNotExist();
  }

  @Test
  @DisplayName("after a failed training, are those held before, and the new ones as tried")
  void failedToAdd() {
    TrainedClasses before = new TrainedClasses(Set.of("a.Held"), Set.of("a.Tried"));
    TrainedClasses goal = new TrainedClasses(Set.of("a.Held", "b.New", "b.Other"),
        Set.of("a.Tried"));

    TrainedClasses after = before.failedToAdd(goal);

    assertThat(after.held()).containsExactly("a.Held");
    assertThat(after.tried()).containsExactlyInAnyOrder("a.Tried", "b.New", "b.Other");
    assertThat(after.known()).containsExactlyInAnyOrder("a.Held", "a.Tried", "b.New", "b.Other");
  }

  @Test
  @DisplayName("for an archive that supersedes theirs, are the held ones: tried ones go again")
  void forSuccessor() {
    assertThat(new TrainedClasses(Set.of("a.Held"), Set.of("a.Tried")).forSuccessor())
        .isEqualTo(new TrainedClasses(Set.of("a.Held"), Set.of()));
  }
}
