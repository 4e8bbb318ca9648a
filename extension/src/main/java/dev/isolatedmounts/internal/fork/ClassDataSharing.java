package dev.isolatedmounts.internal.fork;

import java.io.File;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the classes every child loads (JUnit, JNA, this extension,
 * AssertJ), so that children map them instead of parsing and verifying them again.
 *
 * <p>The archive is trained by a real child, started as every child is, inside its own
 * namespaces, that mounts, runs a training test and reports: so the archive holds what children
 * load on their way, not a guess of it. The JDK refuses to dump an archive while any non-empty
 * directory is on the class path, and uses one only when the run's class path starts with the
 * dump's. So the training child runs on the class path's jars alone, and children that use the
 * archive get the jars first and the
 * directories (target/classes, target/test-classes) after them: the same classes and resources
 * resolve as before, which is checked, else no archive is used. The archive is cached under the
 * build directory, keyed by JDK, jars and JVM options, so it is rebuilt when any of them change
 * and never shared between JDKs; the one it replaces is removed. Every failure falls back,
 * silently, to starting without it.
 */
final class ClassDataSharing {

  private static final ConcurrentMap<Path, Archive> ARCHIVES = new ConcurrentHashMap<>();
  /**
   * Where each class path's archive is, worked out once per JVM: it takes a look at every entry
   * and a digest of the jars, which every child start would otherwise repeat.
   */
  private static final ConcurrentMap<List<Object>, Optional<Placed>> PLACES =
      new ConcurrentHashMap<>();
  private static final ArchiveFormat FORMAT = ArchiveFormat.of(Runtime.version());

  private ClassDataSharing() {}

  /** The class path and JVM options to start a child with. */
  record Layout(List<String> classPath, List<String> jvmOptions) {}

  /** A class path split into jars and directories, and the file its archive has. */
  private record Placed(ClassPathSplit split, Path file) {}

  /** Whether this JDK's archive is made with the JVM's Java agents (JDK 25 and later). */
  static boolean archivesJavaAgents() {
    return FORMAT.writtenWithJavaAgents();
  }

  static Layout layout(LaunchSpec spec, Path cacheDirectory) {
    List<String> options = spec.jvmOptions();
    Layout unchanged = new Layout(spec.classPath(), options);
    if (options.stream().anyMatch(JvmOption::decidesSharing)) {
      return unchanged; // the user decides about sharing
    }
    Optional<Placed> placed = PLACES.computeIfAbsent(
        List.of(spec.classPath(), options, cacheDirectory), key -> place(spec, cacheDirectory));
    if (placed.isEmpty()) {
      return unchanged;
    }
    ClassPathSplit split = placed.get().split();
    Archive archive = ARCHIVES.computeIfAbsent(placed.get().file(),
        file -> Archive.prepare(file, split, spec));
    // Checked at every start: a JVM given an archive that is gone (the cache was deleted, or a
    // later run replaced it) would start without any class-data sharing, even the JDK's own.
    return archive.ready() && Files.isRegularFile(archive.file())
        ? new Layout(split.jarsThenDirectories(), FORMAT.withArchive(options, archive.file()))
        : unchanged;
  }

  private static Optional<Placed> place(LaunchSpec spec, Path cacheDirectory) {
    ClassPathSplit split = ClassPathSplit.of(spec.classPath());
    if (split.jars().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Placed(split, cacheDirectory.resolve(
        ArchiveCache.archiveName(split.jars(), spec.jvmOptions(), FORMAT.suffix()))));
  }

  /** One archive: ready once trained and checked; trained at most once per JVM. */
  private static final class Archive {

    private final Path file;
    private final Path partial;
    private volatile boolean ready;
    /** The training child or archive check under way, to stop at shutdown. */
    private volatile AutoCloseable running;
    /** Set when the training is stopped (this JVM exits): a training cut short is no failure. */
    private volatile boolean abandoned;
    /** Set while another JVM trains this archive and this one waits for it. */
    private volatile boolean awaitingAnother;
    /**
     * Set once this archive's training writes its partial file, which is then this one's to
     * remove: another copy of this class (another class loader's) may be writing the same one.
     */
    private volatile boolean writesPartial;

    private Archive(Path file) {
      this.file = file;
      this.partial = file.resolveSibling(file.getFileName() + "."
          + ProcessHandle.current().pid() + ".tmp");
    }

    /**
     * Partial archives of trainings whose JVM was killed, "child-KEY.jsa.PID.tmp", and what the
     * JDK writes beside them ("child-KEY.aot.PID.tmp.config").
     */
    private static void removeOrphans(Path directory) {
      if (!Files.isDirectory(directory)) {
        return;
      }
      try (var files = Files.newDirectoryStream(directory, "child-*.tmp*")) {
        for (Path partial : files) {
          long trainer = ArchiveCache.trainerPid(partial.getFileName().toString());
          if (ProcessHandle.of(trainer).isEmpty()) {
            Files.deleteIfExists(partial);
          }
        }
      } catch (IOException | RuntimeException e) {
        // left for a later run to remove
      }
    }

    /** Stops a training still under way and removes what it left. */
    void abandon() {
      abandoned = true;
      AutoCloseable process = running;
      if (process != null) {
        stop(process);
      }
      if (!writesPartial) {
        return;
      }
      try {
        Files.deleteIfExists(partial);
        Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
      } catch (IOException ignored) {
        // overwritten by the next training
      }
    }

    Path file() {
      return file;
    }

    boolean ready() {
      return ready;
    }

    static Archive prepare(Path file, ClassPathSplit split, LaunchSpec spec) {
      Archive archive = new Archive(file);
      removeOrphans(file.getParent());
      Optional<String> jarsCannotComeFirst = split.whyNot();
      if (jarsCannotComeFirst.isPresent()) {
        // Never ready: putting the jars first would change what the class path resolves.
        archive.report("the jars cannot be put first on the class path, as an archive needs: "
            + jarsCannotComeFirst.get());
        return archive;
      }
      if (!FORMAT.writtenWithJavaAgents()
          && spec.jvmOptions().stream().map(JvmOption::javaAgent).anyMatch(Optional::isPresent)) {
        // Never ready: a training would fail in every run, at the cost of a child.
        archive.report("this JDK writes no archive while a Java agent runs (-javaagent in the"
            + " JVM options; JDK 25 and later do)");
        return archive;
      }
      if (Files.isRegularFile(file)) {
        archive.ready = true; // trained and checked by an earlier run
        try {
          // An earlier attempt's, out of date.
          Files.deleteIfExists(ArchiveCache.failureReport(file));
        } catch (IOException ignored) {
          // it says when it was written
        }
        try {
          // Used in this run, so not removed as unused (ArchiveCache.removeUnused). Once per JVM.
          Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
          Files.setLastModifiedTime(ArchiveCache.lockFile(file), FileTime.from(Instant.now()));
        } catch (IOException ignored) {
          // a cache directory this user may not write to: nothing is removed from it either
        }
        return archive;
      }
      Thread trainer = new Thread(() -> archive.train(split, spec), "isolated-mounts-cds");
      trainer.setDaemon(true);
      trainer.start();
      // A short run may end mid-training: let it finish (it is cached for the next run), but not
      // for long, and never leave a partial archive behind. A JVM that only waits for another's
      // training does not wait at exit: the other one finishes it.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          if (!archive.awaitingAnother) {
            trainer.join(TimeUnit.SECONDS.toMillis(15));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        archive.abandon();
      }, "isolated-mounts-cds-shutdown"));
      return archive;
    }

    /** Trains in the background, so the first tests need not wait; they start without it. */
    private void train(ClassPathSplit split, LaunchSpec spec) {
      try {
        Files.createDirectories(file.getParent());
        // JVMs that share the cache (Surefire's forks, parallel builds) train one at a time: the
        // others wait for the lock, then take the archive the first one made. The lock goes with
        // its JVM if it dies. The file stays (a JVM waiting on a file that was removed would hold
        // a lock no newcomer sees); it goes with the archives it belongs to
        // (ArchiveCache.removeSuperseded), or unused for long (ArchiveCache.removeUnused: so it
        // is marked used here).
        try (FileChannel channel = FileChannel.open(ArchiveCache.lockFile(file),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          Files.setLastModifiedTime(ArchiveCache.lockFile(file), FileTime.from(Instant.now()));
          running = channel;
          FileLock held;
          try {
            held = awaitLock(channel);
          } catch (ClosedChannelException e) {
            throw e; // abandoned while waiting
          } catch (IOException e) {
            held = null; // a file system without locks: train, as before there were any
          } catch (OverlappingFileLockException e) {
            return; // this JVM trains it already, under another class loader's copy of this class
          }
          try (FileLock lock = held) {
            if (Files.isRegularFile(file)) {
              ready = true; // trained, checked and published by another JVM meanwhile
            } else if (!abandoned) {
              writesPartial = true;
              trainHere(split, spec);
            }
          }
        }
      } catch (IOException | RuntimeException | LinkageError e) {
        report(e.toString()); // no archive: children start as they would without one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        abandon();
      }
    }

    /**
     * Takes the lock, polling: a JVM's file locks are the whole process's, so a blocking wait
     * beside a lock this JVM holds for another archive may be refused as a deadlock that is none.
     */
    private FileLock awaitLock(FileChannel channel) throws IOException, InterruptedException {
      FileLock held = channel.tryLock();
      while (held == null) {
        awaitingAnother = true;
        TimeUnit.MILLISECONDS.sleep(200);
        held = channel.tryLock(); // throws once abandon() has closed the channel
      }
      awaitingAnother = false;
      return held;
    }

    /** Trains, checks and publishes the archive, or says why not. */
    private void trainHere(ClassPathSplit split, LaunchSpec spec)
        throws IOException, InterruptedException {
      List<String> check = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      check.addAll(FORMAT.compatible(spec.jvmOptions()));
      check.addAll(FORMAT.checkOptions(partial));
      check.addAll(List.of("-cp", String.join(File.pathSeparator, split.jarsThenDirectories()),
          "-version"));
      Optional<String> failure = TrainingChild.run(spec, split.jars(), FORMAT, partial,
          file.getParent(), this::running);
      if (failure.isEmpty() && !Files.isRegularFile(partial)) {
        failure = Optional.of("the JVM wrote no archive to " + partial);
      }
      if (failure.isEmpty() && !succeeds(check)) {
        failure = Optional.of("the archive failed its check: " + String.join(" ", check));
      }
      if (failure.isEmpty()) {
        ArchiveCache.publish(partial, file, split.jars(), spec.jvmOptions());
        ready = true;
        Files.deleteIfExists(ArchiveCache.failureReport(file));
      } else {
        report(failure.get());
      }
    }

    /**
     * The fallback is silent, so that a test run is not disturbed; why there is no archive is
     * written beside where it would be, one file per shape, replaced by the next attempt.
     */
    private void report(String failure) {
      if (abandoned) {
        return; // cut short as this JVM exits: the next run trains again
      }
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(ArchiveCache.failureReport(file), "No archive of the children's classes"
            + " was made for " + file.getFileName() + " (" + System.getProperty("java.vm.name")
            + " " + System.getProperty("java.vm.version") + ", at " + Instant.now()
            + "): children start without one.\n" + failure + "\n");
      } catch (IOException | RuntimeException ignored) {
        // nowhere to write it: the children start without the archive all the same
      }
    }

    private void running(AutoCloseable process) {
      this.running = process;
      if (abandoned) {
        stop(process); // abandon() ran as this training started, and stopped what ran before it
      }
    }

    private static void stop(AutoCloseable process) {
      try {
        process.close();
      } catch (Exception ignored) {
        // it is being killed; what is left of it goes with this JVM
      }
    }

    private boolean succeeds(List<String> command) throws IOException {
      Process process = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      running = process::destroyForcibly;
      try {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return false;
        }
        return process.exitValue() == 0;
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        return false;
      } finally {
        running = null;
      }
    }
  }
}
