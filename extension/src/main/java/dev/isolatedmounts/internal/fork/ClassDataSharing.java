package dev.isolatedmounts.internal.fork;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the classes every child loads (JUnit, JNA, this extension,
 * AssertJ), so that children map them instead of parsing and verifying them again.
 *
 * <p>The JDK refuses to dump an archive while any non-empty directory is on the class path, and
 * uses one only when the run's class path starts with the dump's. So the archive is trained in a
 * separate JVM on the class path's jars alone, and children that use it get the jars first and the
 * directories (target/classes, target/test-classes) after them: the same classes and resources
 * resolve as before, which is checked, else no archive is used. The archive is cached under the
 * build directory, keyed by JDK, jars and JVM options, so it is rebuilt when any of them change
 * and never shared between JDKs. Every failure falls back, silently, to starting without it.
 */
final class ClassDataSharing {

  private static final ConcurrentMap<Path, Archive> ARCHIVES = new ConcurrentHashMap<>();

  private ClassDataSharing() {}

  /** The class path and extra options to start a child with. */
  record Layout(List<String> classPath, List<String> options) {}

  static Layout layout(List<String> classPath, List<String> options, Path cacheDirectory) {
    Layout unchanged = new Layout(classPath, List.of());
    if (options.stream().anyMatch(o -> o.startsWith("-Xshare:off")
        || o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:ArchiveClassesAtExit"))) {
      return unchanged; // the user decides about sharing
    }
    ClassPathSplit split = ClassPathSplit.of(classPath);
    if (split.jars().isEmpty()) {
      return unchanged;
    }
    Path file = cacheDirectory.resolve("child-" + key(split.jars(), options) + ".jsa");
    Archive archive = ARCHIVES.computeIfAbsent(file, f -> Archive.prepare(f, split, options));
    // The JVM reports its own trouble with an archive (JDK 24+: options the JDK's base archive
    // was not dumped with, such as --enable-native-access) on stdout, where it would become the
    // test's output; it falls back by itself, so those lines are turned off.
    return archive.ready()
        ? new Layout(split.jarsThenDirectories(), List.of(
            "-XX:SharedArchiveFile=" + archive.file(), "-Xshare:auto", "-Xlog:cds*=off"))
        : unchanged;
  }

  private static String key(List<String> jars, List<String> options) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      List<String> parts = new ArrayList<>(List.of(System.getProperty("java.home"),
          System.getProperty("java.vm.version")));
      parts.addAll(options);
      for (String jar : jars) {
        Path path = Path.of(jar);
        parts.add(jar + ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis());
      }
      parts.forEach(part -> digest.update((part + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest(), 0, 12);
    } catch (NoSuchAlgorithmException | IOException e) {
      return "unkeyed-" + Integer.toHexString(String.join(File.pathSeparator, jars).hashCode());
    }
  }

  /** One archive: ready once trained and checked; trained at most once per JVM. */
  private static final class Archive {

    private final Path file;
    private final Path partial;
    private volatile boolean ready;
    private volatile Process training;

    private Archive(Path file) {
      this.file = file;
      this.partial = file.resolveSibling(file.getFileName() + "."
          + ProcessHandle.current().pid() + ".tmp");
    }

    /** Partial archives of trainings whose JVM was killed: "child-KEY.jsa.PID.tmp". */
    private static void removeOrphans(Path directory) {
      if (!Files.isDirectory(directory)) {
        return;
      }
      try (var files = Files.newDirectoryStream(directory, "child-*.jsa.*.tmp")) {
        for (Path partial : files) {
          String[] parts = partial.getFileName().toString().split("\\.");
          long pid = Long.parseLong(parts[parts.length - 2]);
          if (ProcessHandle.of(pid).isEmpty()) {
            Files.deleteIfExists(partial);
          }
        }
      } catch (IOException | RuntimeException e) {
        // left for a later run to remove
      }
    }

    /** Stops a training still under way and removes what it left. */
    void abandon() {
      Process process = training;
      if (process != null) {
        process.destroyForcibly();
      }
      try {
        Files.deleteIfExists(partial);
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

    static Archive prepare(Path file, ClassPathSplit split, List<String> options) {
      Archive archive = new Archive(file);
      removeOrphans(file.getParent());
      if (!split.resolvesAsBefore()) {
        return archive; // never ready: reordering would change what the class path resolves
      }
      if (Files.isRegularFile(file)) {
        archive.ready = true; // trained and checked by an earlier run
        return archive;
      }
      Thread trainer = new Thread(() -> archive.train(split, options), "isolated-mounts-cds");
      trainer.setDaemon(true);
      trainer.start();
      // A short run may end mid-training: let it finish (it is cached for the next run), but not
      // for long, and never leave a partial archive behind.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          trainer.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        archive.abandon();
      }, "isolated-mounts-cds-shutdown"));
      return archive;
    }

    /** Trains in the background, so the first tests need not wait; they start without it. */
    private void train(ClassPathSplit split, List<String> options) {
      try {
        Files.createDirectories(file.getParent());
        List<String> dump = java(options, "-XX:ArchiveClassesAtExit=" + partial, split.jars());
        dump.add("dev.isolatedmounts.internal.child.CdsTraining");
        List<String> check = java(options, "-XX:SharedArchiveFile=" + partial,
            split.jarsThenDirectories());
        check.addAll(List.of("-Xshare:on", "-version"));
        if (succeeds(dump) && Files.isRegularFile(partial) && succeeds(check)) {
          Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          ready = true;
        }
      } catch (IOException | RuntimeException e) {
        // no archive: children start as they would without one
      } finally {
        abandon();
      }
    }

    private static List<String> java(List<String> options, String archiveOption,
        List<String> classPath) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(options);
      command.add(archiveOption);
      command.add("-cp");
      command.add(String.join(File.pathSeparator, classPath));
      return command;
    }

    private boolean succeeds(List<String> command) throws IOException {
      Process process = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      training = process;
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
        training = null;
      }
    }
  }
}
