package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.isolatedmounts.Propagation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The cache of the children's archives")
class ArchiveCacheTests {

  private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC");

  @Test
  @DisplayName("names an archive by what a rebuild keeps (its shape) and what it changes")
  void names(@TempDir Path directory) throws IOException {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    List<String> jars = List.of(jar.toString(), directory.resolve("absent.jar").toString());
    String before = ArchiveCache.archiveName(jars, OPTIONS, ".jsa");

    Files.setLastModifiedTime(jar, FileTime.fromMillis(
        Files.getLastModifiedTime(jar).toMillis() + 1000)); // the module is rebuilt
    String rebuilt = ArchiveCache.archiveName(jars, OPTIONS, ".jsa");

    assertThat(before).matches("child-\\p{XDigit}{16}-\\p{XDigit}{16}\\.jsa");
    assertThat(shape(rebuilt)).isEqualTo(shape(before));
    assertThat(rebuilt).isNotEqualTo(before);
    assertThat(shape(ArchiveCache.archiveName(jars, List.of("-Xmx64m"), ".jsa")))
        .as("other JVM options").isNotEqualTo(shape(before));
    assertThat(shape(ArchiveCache.archiveName(jars.subList(0, 1), OPTIONS, ".jsa")))
        .as("other jars").isNotEqualTo(shape(before));
  }

  @Test
  @DisplayName("names another archive for a JDK rebuilt at the same path with the same version")
  void rebuiltJdk(@TempDir Path javaHome) throws IOException {
    Path jvm = Files.createDirectories(javaHome.resolve("lib/server")).resolve("libjvm.so");
    Files.writeString(jvm, "a JVM");
    String before = ArchiveCache.archiveName(javaHome, List.of(), OPTIONS, ".jsa");

    Files.setLastModifiedTime(jvm, FileTime.fromMillis(
        Files.getLastModifiedTime(jvm).toMillis() + 1000));
    String rebuilt = ArchiveCache.archiveName(javaHome, List.of(), OPTIONS, ".jsa");

    assertThat(shape(rebuilt)).isEqualTo(shape(before));
    assertThat(rebuilt).isNotEqualTo(before);
  }

  @Test
  @DisplayName("removes the partial files of JVMs that are gone, lists included, and keeps going")
  void orphans(@TempDir Path cache) throws IOException {
    long gone = 4_999_999; // above the kernel's largest pid
    long alive = ProcessHandle.current().pid();
    Path live = touch(cache, "child-aaaa-1111.jsa." + alive + ".tmp");
    Path unreadable = touch(cache, "child-aaaa-1111.jsa.classes12345.tmp");
    touch(cache, "child-aaaa-1111.jsa." + gone + ".tmp");
    touch(cache, "child-aaaa-1111.aot." + gone + ".tmp.config");
    touch(cache, "child-aaaa-1111.jsa." + gone + ".tmp.classes");
    touch(cache, "child-aaaa-1111.jsa.classes.12345." + gone + ".tmp"); // AtomicFile's

    ArchiveCache.removeOrphans(cache);

    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left).containsExactlyInAnyOrder(live, unreadable);
    }
  }

  @Test
  @DisplayName("removes the archives of any shape that no run used for 30 days, with their locks"
      + " and failure reports, and JNA's unpacked libraries unused as long, and nothing else")
  void unused(@TempDir Path cache) throws IOException {
    Instant now = Instant.now();
    FileTime old = FileTime.from(now.minus(ArchiveCache.UNUSED).minusSeconds(60));
    List<Path> stale = List.of(cache.resolve("child-aaaa-1111.jsa"),
        cache.resolve("child-aaaa-1111.jsa.lock"), cache.resolve("child-bbbb.failed.txt"),
        cache.resolve("child-cccc-2222.aot"));
    List<Path> kept = List.of(cache.resolve("child-dddd-3333.jsa"),
        cache.resolve("child-dddd-3333.jsa.lock"), cache.resolve("libjnidispatch.so"),
        cache.resolve("child-eeee-4444.jsa.77.tmp"));
    for (Path file : stale) {
      Files.setLastModifiedTime(Files.writeString(file, "x"), old);
    }
    for (Path file : kept) {
      Files.writeString(file, "x");
    }
    Files.setLastModifiedTime(kept.get(2), old); // not an archive
    Files.setLastModifiedTime(kept.get(3), old); // a training's, removed otherwise
    // JNA's unpacked libraries: one no run marked for a month, one marked now.
    Path oldJna = Files.createDirectory(cache.resolve("jna-linux-x86-64-1234abcd-250000"));
    Files.writeString(oldJna.resolve("libjnidispatch.so"), "x");
    Files.setLastModifiedTime(oldJna, old);
    Path usedJna = Files.createDirectory(cache.resolve("jna-linux-x86-64-5678ef01-250000"));
    Files.writeString(usedJna.resolve("libjnidispatch.so"), "x");

    ArchiveCache.removeUnused(cache, now);

    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left).containsExactlyInAnyOrderElementsOf(
          Stream.concat(kept.stream(), Stream.of(usedJna)).toList());
    }
    assertThat(usedJna.resolve("libjnidispatch.so")).exists();
  }

  @Test
  @DisplayName("gives JVMs that differ only in the application's system properties one archive")
  void applicationProperties(@TempDir Path directory) throws IOException {
    List<String> jars =
        List.of(Files.writeString(directory.resolve("a.jar"), "classes").toString());
    String plain = ArchiveCache.archiveName(jars, OPTIONS, ".jsa");

    assertThat(ArchiveCache.archiveName(jars,
        List.of("-Dx=1", "-XX:+UseSerialGC", "-Dbuild.time=2026-11-30T12:00"), ".jsa"))
        .isEqualTo(ArchiveCache.archiveName(jars, List.of("-XX:+UseSerialGC", "-Dx=2"), ".jsa"))
        .isEqualTo(plain);
    assertThat(ArchiveCache.archiveName(jars,
        List.of("-Djava.system.class.loader=a.Loader", "-XX:+UseSerialGC"), ".jsa"))
        .as("the JDK's own properties").isNotEqualTo(plain);
    assertThat(ArchiveCache.archiveName(jars,
        List.of("-Djdk.module.showModuleResolution=true", "-XX:+UseSerialGC"), ".jsa"))
        .isNotEqualTo(plain);
    assertThat(ArchiveCache.archiveName(jars,
        List.of("-Dcom.sun.management.jmxremote", "-XX:+UseSerialGC"), ".jsa"))
        .as("adds a module, which JDK 25's cache must match").isNotEqualTo(plain);
  }

  @Test
  @DisplayName("gives JVMs whose agents differ only in their arguments (an IDE's port) one archive")
  void agentArguments(@TempDir Path directory) throws IOException {
    List<String> jars =
        List.of(Files.writeString(directory.resolve("a.jar"), "classes").toString());
    String ide = "-javaagent:/opt/ide/lib/idea_rt.jar=";

    assertThat(ArchiveCache.archiveName(jars, List.of(ide + "40123:/opt/ide/bin"), ".aot"))
        .isEqualTo(ArchiveCache.archiveName(jars, List.of(ide + "40777:/opt/ide/bin"), ".aot"))
        .isNotEqualTo(ArchiveCache.archiveName(jars, List.of(), ".aot"));
    String profiler = "-agentpath:/opt/p.so";
    assertThat(ArchiveCache.archiveName(jars, List.of(profiler + "=port=1"), ".aot"))
        .isEqualTo(ArchiveCache.archiveName(jars, List.of(profiler + "=port=2"), ".aot"))
        .isNotEqualTo(ArchiveCache.archiveName(jars, List.of("-agentpath:/opt/q.so"), ".aot"));
  }

  @Test
  @DisplayName("trains no archive on JDK 17 to 24 while a Java agent runs, and says why")
  void javaAgentBeforeJdk25(@TempDir Path directory) throws Exception {
    assumeTrue(Runtime.version().feature() < 25, "JDK 25's cache is written with agents");
    Path jar = Files.writeString(directory.resolve("a.jar"), "classes");
    Path cache = directory.resolve("cache");
    List<String> options = List.of("-javaagent:/opt/jacoco/jacocoagent.jar=destfile=x.exec");
    LaunchSpec spec = new LaunchSpec(null, Propagation.PRIVATE, false, false,
        List.of(jar.toString()), options, Optional.of(cache));

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions()).isEqualTo(options);
    assertThat(Files.readString(awaitFile(cache, ".failed.txt", Duration.ofSeconds(5))))
        .contains("writes no archive while a Java agent runs");
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).as("no training started").allMatch(
          file -> file.getFileName().toString().endsWith(".failed.txt"));
    }
  }

  @Test
  @DisplayName("removes, when an archive is published, those of its shape and no other file")
  void removesSuperseded(@TempDir Path directory) throws IOException {
    String shape = "child-00112233aabbccdd-";
    Path stale = touch(directory, shape + "0000000000000001.jsa");
    Path staler = touch(directory, shape + "0000000000000000.jsa");
    Path staleLock = touch(directory, shape + "0000000000000001.jsa.lock");
    Path staleClasses = touch(directory, shape + "0000000000000001.jsa.classes");
    Path published = touch(directory, shape + "0000000000000002.jsa");
    List<Path> kept = List.of(published,
        touch(directory, shape + "0000000000000002.jsa.lock"), // its own
        touch(directory, shape + "0000000000000002.jsa.classes"), // its own
        touch(directory, "child-99887766ffeeddcc-0000000000000001.jsa.lock"), // another shape's
        touch(directory, "child-99887766ffeeddcc-0000000000000001.jsa"), // another shape
        touch(directory, shape + "0000000000000003.jsa.4242.tmp"), // another run's training
        touch(directory, shape + "0000000000000001.aot"), // another format
        touch(directory, "child-0718ee8b24db0718ee8b24db.jsa"), // an earlier version's name
        touch(directory, "notes.txt"));

    ArchiveCache.removeSuperseded(published);

    assertThat(stale).doesNotExist();
    assertThat(staler).doesNotExist();
    assertThat(staleLock).doesNotExist();
    assertThat(staleClasses).doesNotExist();
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).containsExactlyInAnyOrderElementsOf(kept);
    }
  }

  @Test
  @DisplayName("publishes an archive, and removes those it supersedes only if its jars are current")
  void publishes(@TempDir Path directory) throws IOException {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    List<String> jars = List.of(jar.toString());
    Path cache = Files.createDirectory(directory.resolve("cache"));
    String shape = shape(ArchiveCache.archiveName(jars, OPTIONS, ".jsa"));
    Path older = touch(cache, shape + "-0000000000000000.jsa");
    Path current = cache.resolve(ArchiveCache.archiveName(jars, OPTIONS, ".jsa"));

    ArchiveCache.publish(touch(cache, current.getFileName() + ".1.tmp"), current, jars,
        OPTIONS, TrainedClasses.NONE);

    assertThat(current).exists();
    assertThat(older).doesNotExist();

    Files.setLastModifiedTime(jar, FileTime.fromMillis(
        Files.getLastModifiedTime(jar).toMillis() + 1000)); // rebuilt while a training ran
    Path overtaken = current;
    Path rebuilt = cache.resolve(ArchiveCache.archiveName(jars, OPTIONS, ".jsa"));
    ArchiveCache.publish(touch(cache, rebuilt.getFileName() + ".2.tmp"), rebuilt, jars,
        OPTIONS, TrainedClasses.NONE);
    assertThat(overtaken).as("superseded by the rebuilt jars' archive").doesNotExist();
    ArchiveCache.publish(touch(cache, "late.tmp"), overtaken, jars, OPTIONS,
        TrainedClasses.NONE);

    assertThat(rebuilt).as("the archive of the rebuilt jars").exists();
    assertThat(overtaken).as("the late one, published").exists();
  }

  @Test
  @DisplayName("keeps the classes an archive was trained with, for the archive that supersedes it")
  void trainedClasses(@TempDir Path directory) throws IOException {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    List<String> jars = List.of(jar.toString());
    Path cache = Files.createDirectory(directory.resolve("cache"));
    Path first = cache.resolve(ArchiveCache.archiveName(jars, OPTIONS, ".jsa"));
    assertThat(ArchiveCache.previousTrainedClasses(first)).as("none before")
        .isEqualTo(TrainedClasses.NONE);
    TrainedClasses trained = new TrainedClasses(
        Set.of("com.example.Library", "java.sql.Date"), Set.of("com.example.Broken"));

    ArchiveCache.publish(touch(cache, first.getFileName() + ".1.tmp"), first, jars, OPTIONS,
        trained);

    assertThat(TrainedClasses.read(ArchiveCache.trainedClasses(first))).isEqualTo(trained);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(
        Files.getLastModifiedTime(jar).toMillis() + 1000)); // rebuilt
    Path rebuilt = cache.resolve(ArchiveCache.archiveName(jars, OPTIONS, ".jsa"));
    assertThat(ArchiveCache.previousTrainedClasses(rebuilt))
        .as("what the rebuilt jars' archive is trained with: the names held, not those tried")
        .isEqualTo(new TrainedClasses(trained.held(), Set.of()));
    assertThat(ArchiveCache.previousTrainedClasses(
        cache.resolve(ArchiveCache.archiveName(jars, List.of("-Xint"), ".jsa"))))
        .as("another shape's").isEqualTo(TrainedClasses.NONE);

    ArchiveCache.publish(touch(cache, rebuilt.getFileName() + ".2.tmp"), rebuilt, jars, OPTIONS,
        TrainedClasses.NONE);

    assertThat(ArchiveCache.trainedClasses(first)).as("superseded").doesNotExist();
    assertThat(ArchiveCache.trainedClasses(rebuilt)).as("trained with none").doesNotExist();
  }

  @Test
  @DisplayName("publishes an archive with its size and CRC-32, and knows one cut short or"
      + " changed since, or without a sum, for not whole")
  void intact(@TempDir Path directory) throws IOException {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    List<String> jars = List.of(jar.toString());
    Path archive = directory.resolve(ArchiveCache.archiveName(jars, OPTIONS, ".jsa"));
    Path partial = Files.write(directory.resolve(archive.getFileName() + ".1.tmp"),
        new byte[3 << 20]);

    ArchiveCache.publish(partial, archive, jars, OPTIONS, TrainedClasses.NONE);

    assertThat(ArchiveCache.intact(archive)).isTrue();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(ArchiveCache.checksum(archive))))
        .as("readable by another user sharing the cache").isEqualTo("rw-r--r--");
    assertThat(ArchiveCache.checksum(archive)).hasContent((3 << 20) + " "
        + Long.toHexString(crc(new byte[3 << 20])));
    try (var channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
      channel.truncate(1 << 20); // a cache restored in part
    }
    assertThat(ArchiveCache.intact(archive)).as("cut short").isFalse();
    Files.write(archive, new byte[3 << 20]);
    assertThat(ArchiveCache.intact(archive)).as("whole again").isTrue();
    Files.write(archive, "x".repeat(3 << 20).getBytes(StandardCharsets.US_ASCII));
    assertThat(ArchiveCache.intact(archive)).as("changed, same size").isFalse();
    Files.delete(ArchiveCache.checksum(archive));
    assertThat(ArchiveCache.intact(archive)).as("no sum, as an earlier version published")
        .isFalse();
  }

  @Test
  @DisplayName("gives children no archive that is not whole, and trains it again")
  void notWhole(@TempDir Path directory) throws Exception {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    Path cache = Files.createDirectory(directory.resolve("cache"));
    Path archive = trainedEarlier(cache, jar);
    Files.writeString(archive, "cut");
    LaunchSpec spec = untrainable(jar, cache);

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactlyElementsOf(OPTIONS);
    // The training that replaces it fails here (no namespaces), and says so.
    assertThat(Files.readString(awaitFile(cache, ".failed.txt", Duration.ofSeconds(30))))
        .startsWith("No archive of the children's classes was made for " + archive.getFileName());
    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactlyElementsOf(OPTIONS);
  }

  private static long crc(byte[] bytes) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  @Test
  @DisplayName("keeps the report of an archive that could not be trained again")
  void retrainingReportKept(@TempDir Path directory) throws IOException {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    Path cache = Files.createDirectory(directory.resolve("cache"));
    Path archive = trainedEarlier(cache, jar);
    LaunchSpec spec = untrainable(jar, cache);
    Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(60)));
    Path report = touch(cache, ArchiveCache.failureReport(archive).getFileName().toString());

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .anyMatch(option -> option.endsWith("=" + archive));
    assertThat(report).as("written after the archive: it failed to train it again").exists();
  }

  @Test
  @DisplayName("keeps one archive for a jar named by a relative or an absolute path")
  void relativePaths(@TempDir Path directory) {
    Path jar = directory.resolve("module.jar");
    Path relative = Path.of("").toAbsolutePath().relativize(jar);

    assertThat(ArchiveCache.archiveName(List.of(relative.toString()), OPTIONS, ".jsa"))
        .isEqualTo(ArchiveCache.archiveName(List.of(jar.toString()), OPTIONS, ".jsa"));
  }

  @Test
  @DisplayName("gives a child an archive only while its file is there, and marks it used")
  void archiveGone(@TempDir Path directory) throws IOException {
    Path jar = Files.writeString(directory.resolve("module.jar"), "classes");
    Path cache = Files.createDirectory(directory.resolve("cache"));
    Path archive = trainedEarlier(cache, jar);
    LaunchSpec spec = untrainable(jar, cache);
    Path oldReport = touch(cache, ArchiveCache.failureReport(archive).getFileName().toString());
    Instant start = Instant.now();
    Files.setLastModifiedTime(archive, FileTime.from(start.minus(Duration.ofDays(20))));
    Files.setLastModifiedTime(oldReport, FileTime.from(start.minus(Duration.ofDays(21))));

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .anyMatch(option -> option.endsWith("=" + archive));
    assertThat(oldReport).as("an earlier attempt's failure report").doesNotExist();
    assertThat(Files.getLastModifiedTime(archive).toInstant())
        .as("used in this run, so not removed as unused").isAfterOrEqualTo(start.minusSeconds(1));
    Files.delete(archive); // the cache deleted, or the archive replaced by a later run's

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .as("without the archive, which would also turn off the JDK's own")
        .containsExactlyElementsOf(OPTIONS);
  }

  @Test
  @DisplayName("says, beside it, why an archive could not be made, and children start without")
  void failureReported(@TempDir Path directory) throws Exception {
    Path cache = Files.createDirectory(directory.resolve("cache"));
    LaunchSpec spec = new LaunchSpec(
        HostNamespaces.supported(),
        Propagation.PRIVATE, false, false,
        extensionAsJar(ChildClassPath.of(System.getProperty("java.class.path"),
            ArchiveCacheTests.class.getClassLoader()), directory),
        List.of("-XX:+NoSuchOptionForTheTraining"), Optional.of(cache));

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactly("-XX:+NoSuchOptionForTheTraining");
    Path report = awaitFile(cache, ".failed.txt", Duration.ofSeconds(60));

    assertThat(Files.readString(report))
        .startsWith("No archive of the children's classes was made for child-")
        .contains("children start without one", "NoSuchOptionForTheTraining");
    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactly("-XX:+NoSuchOptionForTheTraining");
  }

  @Test
  @DisplayName("trains nothing where this extension's classes are a directory, and says why")
  void extensionInADirectory(@TempDir Path cache) throws Exception {
    // As in the project that builds the extension: a training, on the jars alone, would fail.
    List<String> classPath = ChildClassPath.of(System.getProperty("java.class.path"),
        ArchiveCacheTests.class.getClassLoader());
    LaunchSpec spec = new LaunchSpec(HostNamespaces.supported(), Propagation.PRIVATE, false,
        false, classPath, OPTIONS, Optional.of(cache));

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactlyElementsOf(OPTIONS);
    assertThat(Files.readString(awaitFile(cache, ".failed.txt", Duration.ofSeconds(5))))
        .contains("this extension's own classes are in the directory "
            + ClassPathSplit.of(classPath).directoryHolding(EXTENSION_CLASS).orElseThrow());
    Thread.sleep(1500);
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).as("no training started").allMatch(
          file -> file.getFileName().toString().endsWith(".failed.txt"));
    }
  }

  private static final String EXTENSION_CLASS =
      TrainingChild.MAIN_CLASS.replace('.', '/') + ".class";

  /** {@code classPath} with the directory of this extension's classes made a jar. */
  private static List<String> extensionAsJar(List<String> classPath, Path directory)
      throws IOException {
    Path classes = Path.of(
        ClassPathSplit.of(classPath).directoryHolding(EXTENSION_CLASS).orElseThrow());
    Path jar = directory.resolve("isolated-mounts.jar");
    try (var out = new ZipOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new ZipEntry(classes.relativize(file).toString()));
        Files.copy(file, out);
      }
    }
    return classPath.stream()
        .map(entry -> Path.of(entry).equals(classes) ? jar.toString() : entry).toList();
  }

  @Test
  @DisplayName("waits while another JVM trains the same archive, then takes the one it made")
  void oneTrainingAtATime(@TempDir Path directory) throws Exception {
    Path jar = Files.writeString(directory.resolve("a.jar"), "classes");
    Path cache = Files.createDirectories(directory.resolve("cache"));
    ArchiveFormat format = ArchiveFormat.of(Runtime.version());
    Path archive = cache.resolve(
        ArchiveCache.archiveName(List.of(jar.toString()), OPTIONS, format.suffix()));
    Path lockFile = cache.resolve(archive.getFileName() + ".lock");
    // The other JVM: holds the lock until its input ends. (A JVM cannot wait for its own lock.)
    Path holder = Files.writeString(directory.resolve("Holder.java"), """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        class Holder {
          public static void main(String[] a) throws Exception {
            try (var c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = c.lock()) {
              System.out.println("locked");
              System.in.read();
            }
          }
        }
        """);
    Process other = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), holder.toString(),
        lockFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      assertThat(other.inputReader().readLine()).isEqualTo("locked");
      LaunchSpec spec = untrainable(jar, cache);
      startsNoTraining(spec, cache, lockFile, "no training of its own while the other's runs");

      whole(cache, archive.getFileName().toString()); // the other JVM's archive, published
      other.getOutputStream().close();
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ClassDataSharing.layout(spec, cache).jvmOptions().size() == OPTIONS.size()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
          .anyMatch(option -> option.endsWith("=" + archive));
      try (Stream<Path> files = Files.list(cache)) {
        assertThat(files).containsExactlyInAnyOrder(archive, lockFile,
            ArchiveCache.checksum(archive));
      }
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  @DisplayName("trains one archive at a time in a JVM: another waits for its turn")
  void oneTurnAtATime(@TempDir Path directory) throws Exception {
    Path jar = Files.writeString(directory.resolve("a.jar"), "classes");
    Path cache = Files.createDirectories(directory.resolve("cache"));
    LaunchSpec spec = untrainable(jar, cache);
    ClassDataSharing.TRAINING_TURNS.acquire(); // another archive's training, under way
    try {
      assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
          .containsExactlyElementsOf(OPTIONS);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!waitingForItsTurn() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(waitingForItsTurn()).as("a training waiting for its turn").isTrue();
      try (Stream<Path> files = Files.list(cache)) {
        assertThat(files).as("only its lock: it has not failed").allMatch(
            file -> file.getFileName().toString().endsWith(".lock"));
      }
    } finally {
      ClassDataSharing.TRAINING_TURNS.release();
    }
    // Its turn: this training fails at once (no namespaces), and says so.
    assertThat(Files.readString(awaitFile(cache, ".failed.txt", Duration.ofSeconds(30))))
        .startsWith("No archive of the children's classes was made for ");
  }

  @Test
  @DisplayName("leaves a training to another class loader's copy of it in this JVM, quietly")
  void sameJvmTrains(@TempDir Path directory) throws Exception {
    Path jar = Files.writeString(directory.resolve("a.jar"), "classes");
    Path cache = Files.createDirectories(directory.resolve("cache"));
    Path archive = cache.resolve(ArchiveCache.archiveName(List.of(jar.toString()), OPTIONS,
        ArchiveFormat.of(Runtime.version()).suffix()));
    Path lockFile = cache.resolve(archive.getFileName() + ".lock");
    try (var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); var lock = channel.lock()) {
      startsNoTraining(untrainable(jar, cache), cache, lockFile, "no training, no report");
    }
  }

  private static boolean waitingForItsTurn() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(thread -> thread.getKey().getName().equals("isolated-mounts-cds"))
        .anyMatch(thread -> java.util.Arrays.stream(thread.getValue())
            .anyMatch(frame -> frame.getMethodName().equals("awaitTurn")));
  }

  /** Namespaces null: a training started for it would fail at once, and say so. */
  private static LaunchSpec untrainable(Path jar, Path cache) {
    return new LaunchSpec(null, Propagation.PRIVATE, false, false, List.of(jar.toString()),
        OPTIONS, Optional.of(cache));
  }

  /** Children start without the archive, and nothing but the lock appears beside it. */
  private static void startsNoTraining(LaunchSpec spec, Path cache, Path lockFile, String why)
      throws Exception {
    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactlyElementsOf(OPTIONS);
    Thread.sleep(1500);
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).as(why).containsExactly(lockFile);
    }
  }

  @Test
  @DisplayName("says why no archive is made for a class path that jars cannot come first in")
  void jarsCannotComeFirst(@TempDir Path directory) throws Exception {
    Path classes = Files.createDirectories(directory.resolve("classes/x"));
    Files.writeString(classes.resolve("A.class"), "from the directory");
    Path jar = directory.resolve("x.jar");
    try (var out = new ZipOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry("x/A.class"));
      out.write("from the jar".getBytes(StandardCharsets.UTF_8));
    }
    Path cache = directory.resolve("cache");
    LaunchSpec spec = new LaunchSpec(null, Propagation.PRIVATE, false, false,
        List.of(directory.resolve("classes").toString(), jar.toString()), OPTIONS,
        Optional.of(cache));

    assertThat(ClassDataSharing.layout(spec, cache).jvmOptions())
        .containsExactlyElementsOf(OPTIONS);
    assertThat(Files.readString(awaitFile(cache, ".failed.txt", Duration.ofSeconds(5))))
        .contains("the jars cannot be put first", "x/A.class is both in a directory and in "
            + jar);
  }

  @Test
  @DisplayName("leaves the directory alone when it cannot be read")
  void unreadableDirectory(@TempDir Path directory) {
    ArchiveCache.removeSuperseded(directory.resolve("gone").resolve("child-a-b.jsa"));

    assertThat(directory).isEmptyDirectory();
  }

  private static Path awaitFile(Path directory, String suffix, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(directory)) {
        var found = files.filter(file -> file.toString().endsWith(suffix)).findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no *" + suffix + " in " + directory + " after " + timeout);
  }

  private static String shape(String name) {
    return name.substring(0, name.lastIndexOf('-'));
  }

  /** An archive as a run publishes it: with its sum. */
  /** The archive of {@code jar}, whole, as an earlier run published it into {@code cache}. */
  private static Path trainedEarlier(Path cache, Path jar) throws IOException {
    return whole(cache, ArchiveCache.archiveName(List.of(jar.toString()), OPTIONS,
        ArchiveFormat.of(Runtime.version()).suffix()));
  }

  private static Path whole(Path directory, String name) throws IOException {
    Path archive = touch(directory, name);
    Files.writeString(ArchiveCache.checksum(archive), ArchiveCache.sum(archive) + "\n");
    return archive;
  }

  private static Path touch(Path directory, String name) throws IOException {
    return Files.writeString(directory.resolve(name), name);
  }
}
