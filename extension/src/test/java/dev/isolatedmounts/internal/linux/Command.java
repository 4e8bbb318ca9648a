package dev.isolatedmounts.internal.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A host command a test ran, and what it printed. */
record Command(List<String> command, int exitCode, String stdout, String stderr) {

  /** Runs {@code command} with no input, waiting at most a minute. */
  static Command run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    // Both pipes are drained on the side, so a chatty child cannot block on a full one.
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("Timed out after 60 s: " + command);
    }
    return new Command(command, process.exitValue(), stdout.join(), stderr.join());
  }

  /** The trimmed standard output of {@code command}, which must exit with 0. */
  static String output(String... command) throws IOException, InterruptedException {
    Command result = run(List.of(command));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.toString());
    }
    return result.stdout().strip();
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, task -> new Thread(task).start()); // not the common pool: these reads block
  }
}
