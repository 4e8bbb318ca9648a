package dev.isolatedmounts.internal.fork;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child that logs the classes it loads, so that its archive can be trained again to hold those
 * it lacked (see {@link LoadedClasses}).
 *
 * <p>The log is a named pipe in the child's directory, which this JVM reads while the child runs.
 * A regular file, open for writing on the root's file system, would make a read-only root's
 * remount fail (EBUSY); the kernel takes no write access on a mount for a pipe, and the JVM's
 * {@code -Xlog} writes to one. The reader is started before the child, whose JVM opens the pipe as
 * it starts; a reader whose child never opened it (it failed before) is released when the child
 * is closed.
 */
final class ClassListing {

  /** The command that makes the pipe (coreutils); the doctor looks for it too. */
  static final String MKFIFO = "mkfifo";

  private final Path log;
  private final String option;
  private final Consumer<Set<String>> lacked;
  private final LoadedClasses.Reading reading;
  private final Thread reader;
  private volatile boolean complete;

  private ClassListing(Path log, String option, Target target) {
    this.log = log;
    this.option = option;
    this.reading = new LoadedClasses.Reading(target.jars());
    this.lacked = target.lacked();
    this.reader = new Thread(this::read, "isolated-mounts-classes-" + log.getParent()
        .getFileName());
    this.reader.setDaemon(true);
  }

  /**
   * What a listing is for: the classes the child loaded that its archive could have held (see
   * {@link LoadedClasses.Reading}; {@code jars} as {@link LoadedClasses#realPaths} gives them) are
   * handed to {@code lacked}.
   */
  record Target(Set<Path> jars, Consumer<Set<String>> lacked) {}

  /**
   * A listing into {@code childDirectory}, handed on once the child has run its test; empty when
   * the log's path cannot be given to the JVM or the pipe cannot be made.
   */
  static Optional<ClassListing> into(Path childDirectory, Target target) {
    Path log = childDirectory.resolve(LoadedClasses.LOG);
    Optional<String> option = LoadedClasses.logOption(log);
    if (option.isEmpty() || !pipe(log)) {
      return Optional.empty();
    }
    return Optional.of(new ClassListing(log, option.get(), target));
  }

  /** Starts reading, before the child starts: its JVM waits, opening the pipe, for a reader. */
  void startReading() {
    reader.start();
  }

  /**
   * Makes the named pipe: with {@code mkfifo} (found as {@code unshare} is, also off the PATH), as
   * this JVM loads no native library of its own.
   */
  private static boolean pipe(Path log) {
    Optional<String> mkfifo = NamespaceProbe.onPath(MKFIFO);
    return mkfifo.isPresent()
        && NamespaceProbe.run(List.of(mkfifo.get(), "-m", "600", log.toString())).exitCode() == 0
        && Files.exists(log);
  }

  /** The JVM option that writes the log. */
  String option() {
    return option;
  }

  private void read() {
    // Blocks until the child's JVM opens the pipe; ends when it has exited.
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        reading.line(line);
      }
      complete = true;
    } catch (IOException | RuntimeException e) {
      // nothing to learn from this child
    }
  }

  /**
   * Called once the child has exited, before its directory is removed: ends the reader, and hands
   * on the log if the child ran a test.
   */
  void childEnded(boolean ranTest) {
    if (reader.getState() == Thread.State.NEW) {
      return; // never started: no child to wait for
    }
    try {
      // The child has exited, so its end of the pipe is closed: a reader still there after a
      // moment was never given one.
      reader.join(200);
      // The child never opened the pipe: opened for reading and writing, which does not block,
      // it lets the reader's open return, and closed, it ends the reader's read. Again, until
      // the reader is gone: a reader that came to its open only after that would wait for good.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (reader.isAlive() && System.nanoTime() < deadline) {
        new RandomAccessFile(log.toFile(), "rw").close();
        reader.join(50);
      }
    } catch (IOException e) {
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (ranTest && complete && !reader.isAlive()) {
      Set<String> names = reading.names();
      Daemon.start("isolated-mounts-classes", () -> lacked.accept(names));
    }
  }
}
