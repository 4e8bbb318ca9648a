package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A child's class log, read through a named pipe")
class ClassListingTests {

  @Test
  @DisplayName("is handed on whole once the child that wrote it has run its test and exited")
  void handedOn(@TempDir Path childDirectory) throws Exception {
    CompletableFuture<Set<String>> handed = new CompletableFuture<>();
    ClassListing listing = listing(childDirectory, handed);
    Path log = childDirectory.resolve(LoadedClasses.LOG);
    assertThat(Files.isRegularFile(log)).as("a regular file").isFalse();
    assertThat(listing.option()).contains("file=" + log + ":");

    listing.startReading();
    // The child's JVM: opens the pipe (waiting for the reader), writes, exits.
    String lines = IntStream.range(0, 5000)
        .mapToObj(i -> "java.lang.Object source: shared objects file\ncom.example.C" + i
            + " source: jrt:/java.base\n").collect(Collectors.joining());
    Files.writeString(log, lines);
    listing.childEnded(true);

    assertThat(handed.get(10, TimeUnit.SECONDS)).hasSize(5000)
        .startsWith("com.example.C0").endsWith("com.example.C4999");
  }

  @Test
  @DisplayName("ends its reader when the child never opened the pipe, and hands on nothing")
  void neverOpened(@TempDir Path childDirectory) throws Exception {
    CompletableFuture<Set<String>> handed = new CompletableFuture<>();
    ClassListing listing = listing(childDirectory, handed);
    listing.startReading();

    listing.childEnded(false);

    assertThat(Thread.getAllStackTraces().keySet()).as("the reader, released")
        .noneMatch(thread -> thread.getName()
        .equals("isolated-mounts-classes-" + childDirectory.getFileName()));
    Thread.sleep(100);
    assertThat(handed).isNotDone();
  }

  @Test
  @DisplayName("is no listing where the path cannot be given to the JVM")
  void unusablePath(@TempDir Path directory) throws IOException {
    Path childDirectory = Files.createDirectory(directory.resolve("a:b"));
    assertThat(ClassListing.into(childDirectory, new ClassListing.Target(Set.of(), names -> { })))
        .isEmpty();
    assertThat(childDirectory.resolve(LoadedClasses.LOG)).doesNotExist();
  }

  /** A listing whose names, taken from no jar, go to {@code handed}. */
  private static ClassListing listing(Path childDirectory,
      CompletableFuture<Set<String>> handed) {
    return ClassListing.into(childDirectory, new ClassListing.Target(Set.of(), handed::complete))
        .orElseThrow();
  }
}
