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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class-data-sharing archive of the classes every child loads (JUnit, JNA, this extension,
 * AssertJ), and of those the tests' children showed they load beyond it (their libraries), so
 * that children map them instead of parsing and verifying them again.
 *
 * <p>The archive is trained by a real child, started as every child is, inside its own
 * namespaces, that mounts, runs a training test and reports: so the archive holds what children
 * load on their way, not a guess of it. A few children log the classes they load; when one loaded
 * many the archive lacks, it is trained again with them (see {@link LoadedClasses}). The JDK
 * refuses to dump an archive while any non-empty directory is on the class path, and uses one
 * only when the run's class path starts with the dump's. So the training child runs on the class
 * path's jars alone, and children that use the archive get the jars first and the directories
 * (target/classes, target/test-classes) after them: the same classes and resources resolve as
 * before, which is checked, else no archive is used. The archive is cached under the
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

  /**
   * The class path and JVM options to start a child with.
   *
   * @param listing what the child's class-loading log is read for, if it is to log its classes
   *     (see {@link Archive#listing})
   */
  record Layout(List<String> classPath, List<String> jvmOptions,
      Optional<ClassListing.Target> listing) {

    Layout(List<String> classPath, List<String> jvmOptions) {
      this(classPath, jvmOptions, Optional.empty());
    }
  }

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
    if (!archive.ready() || !Files.isRegularFile(archive.file())) {
      return unchanged;
    }
    return new Layout(split.jarsThenDirectories(), FORMAT.withArchive(options, archive.file()),
        archive.listing());
  }

  private static Optional<Placed> place(LaunchSpec spec, Path cacheDirectory) {
    ClassPathSplit split = ClassPathSplit.of(spec.classPath());
    if (split.jars().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Placed(split, cacheDirectory.resolve(
        ArchiveCache.archiveName(split.jars(), spec.jvmOptions(), FORMAT.suffix()))));
  }

  /**
   * One archive: ready once trained and checked; trained at most once per JVM, and trained again
   * at most once per JVM to hold the classes its children loaded beyond it.
   */
  private static final class Archive {

    private final Path file;
    private final ClassPathSplit split;
    private final LaunchSpec spec;
    private volatile boolean ready;
    /** Children started with this archive in this JVM: some log their classes (see listing). */
    private final AtomicInteger started = new AtomicInteger();
    /** Set once this JVM trains the archive again: once is enough, later runs look again. */
    private final AtomicBoolean retraining = new AtomicBoolean();
    /** The jars as a child's class-loading log names them, once a child logs. */
    private volatile Set<Path> realJars;

    private Archive(Path file, ClassPathSplit split, LaunchSpec spec) {
      this.file = file;
      this.split = split;
      this.spec = spec;
    }

    Path file() {
      return file;
    }

    boolean ready() {
      return ready;
    }

    static Archive prepare(Path file, ClassPathSplit split, LaunchSpec spec) {
      Archive archive = new Archive(file, split, spec);
      ArchiveCache.removeOrphans(file.getParent());
      Optional<String> jarsCannotComeFirst = split.whyNot();
      if (jarsCannotComeFirst.isPresent()) {
        // Never ready: putting the jars first would change what the class path resolves.
        archive.report("the jars cannot be put first on the class path, as an archive needs: "
            + jarsCannotComeFirst.get());
        return archive;
      }
      Optional<String> trainerInDirectory = split.directoryHolding(
          TrainingChild.MAIN_CLASS.replace('.', '/') + ".class");
      if (trainerInDirectory.isPresent()) {
        // Never ready: the training runs on the jars alone, without this extension's classes.
        archive.report("this extension's own classes are in the directory "
            + trainerInDirectory.get() + ", not in a jar, and an archive is trained on the jars"
            + " of the class path alone (so in the project that builds the extension)");
        return archive;
      }
      if (!FORMAT.writtenWithJavaAgents()
          && spec.jvmOptions().stream().map(JvmOption::javaAgent).anyMatch(Optional::isPresent)) {
        // Never ready: a training would fail in every run, at the cost of a child.
        archive.report("this JDK writes no archive while a Java agent runs (-javaagent in the"
            + " JVM options; JDK 25 and later do)");
        return archive;
      }
      if (Files.isRegularFile(file) && ArchiveCache.intact(file)) {
        archive.ready = true; // trained and checked by an earlier run
        try {
          // An earlier attempt's, out of date; not one that failed to train this one again.
          Path report = ArchiveCache.failureReport(file);
          if (Files.exists(report) && Files.getLastModifiedTime(report).compareTo(
              Files.getLastModifiedTime(file)) < 0) {
            Files.delete(report);
          }
        } catch (IOException ignored) {
          // it says when it was written
        }
        try {
          // Used in this run, so not removed as unused (ArchiveCache.removeUnused). Once per JVM.
          for (Path used : List.of(file, ArchiveCache.lockFile(file),
              ArchiveCache.trainedClasses(file), ArchiveCache.checksum(file))) {
            if (Files.exists(used)) {
              Files.setLastModifiedTime(used, FileTime.from(Instant.now()));
            }
          }
        } catch (IOException ignored) {
          // a cache directory this user may not write to: nothing is removed from it either
        }
        return archive;
      }
      // Trained with the classes the archive it replaces was trained with, if any: a rebuilt
      // jar or an updated JDK keeps most of what the tests load. An archive in place but not
      // whole is replaced by the training (see goal).
      new Training(archive, ArchiveCache.previousTrainedClasses(file), false).start();
      return archive;
    }

    /**
     * Whether this child logs the classes it loads: the 1st, 10th, 100th and 1000th started with
     * this archive in this JVM, until it is trained again. A log through a pipe costs a child and
     * its reader some 25-45 ms of CPU (measured on JDK 17), so a few children spread over the run
     * log, not all.
     */
    Optional<ClassListing.Target> listing() {
      int n = started.incrementAndGet();
      if (retraining.get() || !(n == 1 || n == 10 || n == 100 || n == 1000)) {
        return Optional.empty();
      }
      if (realJars == null) {
        realJars = LoadedClasses.realPaths(split.jars());
      }
      return Optional.of(new ClassListing.Target(realJars, this::lacked));
    }

    /** Trains the archive again if a child loaded enough classes it lacked. */
    private void lacked(Set<String> missing) {
      LoadedClasses.beyond(missing, TrainedClasses.read(ArchiveCache.trainedClasses(file)))
          .filter(classes -> retraining.compareAndSet(false, true))
          .ifPresent(classes -> new Training(this,
              new TrainedClasses(classes, Set.of()), true).start());
    }

    /** Says why there is no archive (see {@link #write}). */
    void report(String failure) {
      write("No archive of the children's classes was made for " + file.getFileName() + " ("
          + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
          + ", at " + Instant.now() + "): children start without one.\n" + failure);
    }

    /**
     * The fallback is silent, so that a test run is not disturbed; why there is no archive, or
     * why it was not trained again, is written beside where it would be, one file per shape,
     * replaced by the next attempt.
     */
    void write(String report) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(ArchiveCache.failureReport(file), report + "\n");
      } catch (IOException | RuntimeException ignored) {
        // nowhere to write it: the children start without the archive all the same
      }
    }
  }

  /**
   * One training of an archive, in the background: the first one, or one that adds the classes
   * children loaded beyond it (the archive in place is used meanwhile, and replaced).
   */
  /** One training at a time in this JVM (see {@code Training.awaitTurn}). */
  static final java.util.concurrent.Semaphore TRAINING_TURNS =
      new java.util.concurrent.Semaphore(1);

  private static final class Training {

    private final Archive archive;
    /**
     * A first training's: what the archive it supersedes was trained with, whose names it loads
     * by name beyond the training test (see {@link LoadedClasses}). One that replaces the archive
     * in place: the names it adds, as held.
     */
    private final TrainedClasses start;
    private final boolean replaces;
    private final Path partial;
    /** The training child or archive check under way, to stop at shutdown. */
    private volatile AutoCloseable running;
    /** Set when the training is stopped (this JVM exits): a training cut short is no failure. */
    private volatile boolean abandoned;
    /** Set while another JVM trains this archive and this one waits for it. */
    private volatile boolean awaitingAnother;
    /**
     * Set once this training writes its partial files, which are then this one's to remove:
     * another copy of this class (another class loader's) may be writing the same ones.
     */
    private volatile boolean writesPartial;

    Training(Archive archive, TrainedClasses start, boolean replaces) {
      this.archive = archive;
      this.start = start;
      this.replaces = replaces;
      Path file = archive.file();
      this.partial = file.resolveSibling(file.getFileName() + "."
          + ProcessHandle.current().pid() + ".tmp");
    }

    void start() {
      Thread trainer = new Thread(this::train, "isolated-mounts-cds");
      trainer.setDaemon(true);
      // A short run may end mid-training: let it finish (it is cached for the next run), but not
      // for long, and never leave a partial archive behind. A JVM that only waits for another's
      // training does not wait at exit: the other one finishes it.
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            if (!awaitingAnother) {
              trainer.join(TimeUnit.SECONDS.toMillis(15));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          abandon();
        }, "isolated-mounts-cds-shutdown"));
      } catch (IllegalStateException exiting) {
        return; // a child's log read as this JVM exits: a later run trains it
      }
      trainer.start();
    }

    /** Stops the training if still under way and removes what it left, once. */
    void abandon() {
      abandoned = true;
      AutoCloseable process = running;
      if (process != null) {
        stop(process);
      }
      if (!writesPartial) {
        return;
      }
      writesPartial = false; // a later training in this JVM writes the same names
      try {
        Files.deleteIfExists(partial);
        Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
        Files.deleteIfExists(classesFile());
      } catch (IOException ignored) {
        // overwritten by the next training
      }
    }

    /** The names the training child loads, written for it beside the partial archive. */
    private Path classesFile() {
      return partial.resolveSibling(partial.getFileName() + ".classes");
    }

    /** Trains in the background, so the first tests need not wait; they start without it. */
    private void train() {
      Path file = archive.file();
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
            // Read under the lock: another JVM may have trained it meanwhile.
            TrainedClasses before = replaces
                ? TrainedClasses.read(ArchiveCache.trainedClasses(file)) : start;
            Optional<TrainedClasses> goal = goal(before);
            if (goal.isEmpty()) {
              archive.ready = true; // trained, checked and published by another JVM meanwhile
            } else if (awaitTurn()) {
              try {
                writesPartial = true;
                trainHere(goal.get(), before);
              } finally {
                TRAINING_TURNS.release();
              }
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
     * What to train the archive with, given what it was trained with {@code before}; empty if
     * another JVM made, while this one waited, the archive this training would.
     */
    private Optional<TrainedClasses> goal(TrainedClasses before) {
      if (!replaces) {
        return Files.isRegularFile(archive.file()) && ArchiveCache.intact(archive.file())
            ? Optional.empty() : Optional.of(start);
      }
      return LoadedClasses.adding(before, start.held());
    }

    /**
     * Waits for this JVM's one training at a time, unless abandoned meanwhile: tests with JVM
     * options of their own each have an archive, and under parallel execution they would start
     * their trainings together, each a JVM (two on JDK 25), beside the tests that run.
     */
    private boolean awaitTurn() throws InterruptedException {
      awaitingAnother = true; // this JVM's exit need not wait for a training not yet begun
      try {
        while (!abandoned) {
          if (TRAINING_TURNS.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (!abandoned) {
              return true;
            }
            TRAINING_TURNS.release();
          }
        }
        return false;
      } finally {
        awaitingAnother = false;
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

    /**
     * Trains, checks and publishes the archive, with the names {@code goal} holds, or says why
     * not; {@code before} is what the archive was trained with.
     */
    private void trainHere(TrainedClasses goal, TrainedClasses before)
        throws IOException, InterruptedException {
      Path file = archive.file();
      Optional<String> failure = attempt(goal.held());
      if (failure.isPresent() && !replaces && !goal.held().isEmpty() && !abandoned) {
        // The names of the archive this one supersedes broke its training (a class too many for
        // a small metaspace, a training past its time): trained without them, or it would fail
        // in every run. Children list what they load again, and a training that adds it, should
        // it fail too, marks it as tried.
        String withNames = failure.get();
        failure = attempt(Set.of()).map(without -> without + "\n\nWith the "
            + goal.held().size() + " classes the archive it supersedes held, it had failed"
            + " too:\n" + withNames);
        if (failure.isEmpty()) {
          publish(TrainedClasses.NONE);
          archive.write("The archive " + file.getFileName() + " was trained without the "
              + goal.held().size() + " classes the archive it supersedes held, with which its"
              + " training failed (" + System.getProperty("java.vm.name") + " "
              + System.getProperty("java.vm.version") + ", at " + Instant.now() + "):\n"
              + withNames);
          return;
        }
      }
      if (failure.isEmpty()) {
        publish(goal);
        return;
      }
      report(failure.get());
      if (replaces && !abandoned) {
        // Tried: a class that breaks the training must not have every later run try again.
        try {
          before.failedToAdd(goal).keep(ArchiveCache.trainedClasses(file));
        } catch (IOException e) {
          // tried again in a later run; the report says why this one failed
        }
      }
    }

    /** Trains the archive into the partial file, with {@code held} loaded, and checks it. */
    private Optional<String> attempt(Set<String> held) throws IOException, InterruptedException {
      ClassPathSplit split = archive.split;
      LaunchSpec spec = archive.spec;
      List<String> check = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      check.addAll(FORMAT.compatible(spec.jvmOptions()));
      // A JVM that crashes on a bad archive writes no crash log into the project, nor a core.
      check.addAll(List.of("-XX:ErrorFile=/dev/null", "-XX:-CreateCoredumpOnCrash"));
      check.addAll(FORMAT.checkOptions(partial));
      check.addAll(List.of("-cp", String.join(File.pathSeparator, split.jarsThenDirectories()),
          "-version"));
      Optional<Path> names = Optional.empty();
      if (!held.isEmpty()) {
        new TrainedClasses(held, Set.of()).keep(classesFile()); // one name a line, as kept
        names = Optional.of(classesFile());
      }
      Files.deleteIfExists(partial); // a first attempt's
      Optional<String> failure = TrainingChild.run(spec, split.jars(), FORMAT, partial, names,
          archive.file().getParent(), this::running);
      if (failure.isEmpty() && !Files.isRegularFile(partial)) {
        failure = Optional.of("the JVM wrote no archive to " + partial);
      }
      if (failure.isEmpty() && !succeeds(check)) {
        failure = Optional.of("the archive failed its check: " + String.join(" ", check));
      }
      return failure;
    }

    private void publish(TrainedClasses trained) throws IOException {
      Path file = archive.file();
      ArchiveCache.publish(partial, file, archive.split.jars(), archive.spec.jvmOptions(),
          trained);
      archive.ready = true;
      Files.deleteIfExists(ArchiveCache.failureReport(file));
    }

    private void report(String failure) {
      if (abandoned) {
        return; // cut short as this JVM exits: the next run trains again
      }
      if (!replaces) {
        archive.report(failure);
        return;
      }
      archive.write("The archive " + archive.file().getFileName() + " was not trained again to"
          + " hold the classes its children loaded beyond it (" + System.getProperty(
              "java.vm.name") + " " + System.getProperty("java.vm.version") + ", at "
          + Instant.now() + "): children go on with it as it is.\n" + failure);
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
      Process process = OptionsVariables.removedFrom(new ProcessBuilder(command))
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
