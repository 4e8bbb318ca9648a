package dev.isolatedmounts.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The child JVM is started as configured")
class ChildJvmTests {

  @Test
  @DisplayName("jvmArgs from the annotation and the configuration reach the child; a GC of the"
      + " user's own replaces the default one")
  void jvmArgs() {
    Fixtures.run(JvmArgsTestCase.class, Map.of("isolatedmounts.jvmArgs",
            "-Dfrom.config=yes \"-Dwith.space=a b\""))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("configured("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("this JVM's system properties reach the child, but a -D chosen for the child wins")
  void systemProperties() {
    System.setProperty("it.property.parent", "parent");
    System.setProperty("it.property.chosen", "parent");
    System.setProperty("it.property.declared", "parent");
    try {
      Fixtures.run(PropertiesTestCase.class, Map.of("isolatedmounts.jvmArgs",
              "-Dit.property.chosen=configuration"))
          .testEvents().assertThatEvents()
          .haveExactly(1, event(test("forwarded("), finishedSuccessfully()));
    } finally {
      System.clearProperty("it.property.parent");
      System.clearProperty("it.property.chosen");
      System.clearProperty("it.property.declared");
    }
  }

  @Test
  @DisplayName("an empty isolatedmounts.defaultJvmArgs starts children with the JVM's own defaults")
  void noDefaultOptions() {
    // Without the archive, whose use adds -Xshare:auto again once one is trained.
    Fixtures.run(DefaultOptionsTestCase.class, Map.of("isolatedmounts.defaultJvmArgs", "",
            "isolatedmounts.cds", "false"))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("withoutDefaults("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a JVM option the child cannot start with fails the test with the JVM's words")
  void badOption() {
    Fixtures.run(JvmArgsTestCase.class, Map.of("isolatedmounts.jvmArgs", "-XX:+NoSuchOption"))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("configured("), finishedWithFailure(message(m ->
            m.contains("exited with status 1 before connecting; JVM options chosen for it, any"
                + " of which its JVM may have refused: configuration parameter"
                + " isolatedmounts.jvmArgs: [-XX:+NoSuchOption]; @IsolatedMounts(jvmArgs):"
                + " [-XX:+UseParallelGC, -Dfrom.annotation=yes, -Dfrom.method=yes]")
                && m.contains("Unrecognized VM option 'NoSuchOption'")))));
  }

  @Test
  @DisplayName("a JVM that cannot start says why on stdout, and the failure says it too")
  void cannotStart() {
    Fixtures.run(JvmArgsTestCase.class, Map.of("isolatedmounts.jvmArgs", "-Xmx1k"))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("configured("), finishedWithFailure(message(m ->
            m.contains("exited with status 1 before connecting")
                && m.contains("last lines of its stdout:")
                && m.contains("Too small maximum heap")))));
  }

  @Test
  @DisplayName("a sharing choice of the user's own replaces the default -Xshare:auto, as on JDK 25"
      + " an option of the AOT cache must, which the JDK refuses beside any -Xshare")
  void sharingOfTheUser() {
    String choice = Runtime.version().feature() >= 25 ? "-XX:AOTMode=off" : "-Xshare:off";
    System.setProperty("it.sharing.choice", choice);
    try {
      Fixtures.run(SharingChoiceTestCase.class, Map.of("isolatedmounts.jvmArgs", choice))
          .testEvents().assertThatEvents()
          .haveExactly(1, event(test("chosen("), finishedSuccessfully()));
    } finally {
      System.clearProperty("it.sharing.choice");
    }
  }

  @Test
  @DisplayName("with or without children started ahead, every test gets its own")
  void poolSizes() {
    for (String size : new String[] {"0", "1", "3"}) {
      Fixtures.run(RepeatedTestCase.class, Map.of("isolatedmounts.pool", size))
          .testEvents().assertThatEvents()
          .haveExactly(4, event(test("repeated("), finishedSuccessfully()));
      Processes.awaitTraining();
      assertThat(ProcessHandle.current().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("ChildMain")))
          .as("children left after a run with isolatedmounts.pool=%s", size).isEmpty();
    }
  }

  /** A test's cache directory goes with it: no training may still write there. */
  @AfterEach
  void awaitTraining() {
    Processes.awaitTraining();
  }

  @Test
  @DisplayName("a class-data-sharing archive is trained once, cached, then used by children")
  void classDataSharing(@TempDir Path cache) throws Exception {
    Map<String, String> configuration = Map.of("isolatedmounts.cacheDir", cache.toString());
    Fixtures.run(RepeatedTestCase.class, configuration); // same JVM options: same archive

    Path archive = awaitArchive(cache, Duration.ofSeconds(90));
    System.setProperty("it.cds.archive", archive.toString());
    Fixtures.run(SharingTestCase.class, configuration).testEvents().assertThatEvents()
        .haveExactly(1, event(test("usesTheArchive("), finishedSuccessfully()));
  }

  /**
   * Read from the class-loading log of a child started after the archive was made: with its own
   * JVM options, the log among them, the archive is trained for them.
   */
  @Test
  @DisplayName("the archive holds what a @TempDir and a temporary file load, JUnit's and the JDK's")
  void archiveHoldsTemporaryFiles(@TempDir Path cache, @TempDir Path logs) throws Exception {
    Path log = logs.resolve("classes.txt");
    Map<String, String> configuration = loggingClasses(cache, log);
    trainedBy(TemporaryFilesTestCase.class, cache, configuration);
    Files.deleteIfExists(log); // the training's, and the first run's child's

    Fixtures.run(TemporaryFilesTestCase.class, configuration).testEvents().assertThatEvents()
        .haveExactly(1, event(test("replaces("), finishedSuccessfully()));
    for (String type : List.of("org.junit.jupiter.engine.extension.TempDirectory",
        "java.nio.file.TempFileHelper", "java.security.SecureRandom")) {
      assertFromArchive(log, type);
    }
  }

  /**
   * The JDK's XML parser plays a library of the user's tests: a hundred and more classes that the
   * training test does not load. The first child started with the archive logs what it loaded
   * (here the second run's: the first run's child started before the archive was made), and the
   * archive is trained again to hold what it lacked.
   */
  @Test
  @DisplayName("the archive is trained again to hold the classes of the tests' libraries")
  void archiveHoldsLibraries(@TempDir Path cache, @TempDir Path logs) throws Exception {
    Path log = logs.resolve("classes.txt");
    Map<String, String> configuration = loggingClasses(cache, log);
    Path archive = trainedBy(XmlTestCase.class, cache, configuration);
    Path trained = archive.resolveSibling(archive.getFileName() + ".classes");
    assertThat(trained).as("trained with no classes beyond the training test").doesNotExist();

    Fixtures.run(XmlTestCase.class, configuration);
    awaitFile(trained, Duration.ofSeconds(90));
    assertThat(Files.readAllLines(trained)).as("the classes it was trained again with")
        .contains(XmlTestCase.PARSER)
        .doesNotContain(XmlTestCase.class.getName()); // from a directory: no archive takes it
    Processes.awaitTraining();
    Files.deleteIfExists(log);

    Fixtures.run(XmlTestCase.class, configuration).testEvents().assertThatEvents()
        .haveExactly(1, event(test("parses("), finishedSuccessfully()));
    assertFromArchive(log, XmlTestCase.PARSER);
    assertThat(cache.resolve(archive.getFileName().toString()
        .replaceFirst("-[0-9a-f]+\\.(jsa|aot)$", ".failed.txt"))).doesNotExist();
  }

  /**
   * An archive that supersedes another (rebuilt jars, an updated JDK) is trained with the classes
   * the other held. Here that list holds some 15,000 classes of the JDK, more than the metaspace
   * the JVM options allow, so that training fails; the archive is then trained without them, or
   * there would be none in any run until the list went.
   */
  @Test
  @DisplayName("an archive whose inherited classes break its training is trained without them")
  void inheritedClassesBreakTraining(@TempDir Path first, @TempDir Path cache) throws Exception {
    Map<String, String> small = Map.of("isolatedmounts.pool", "0",
        "isolatedmounts.jvmArgs", "-XX:MaxMetaspaceSize=32m");
    String name = trainedBy(TrivialTestCase.class, first,
        with(small, "isolatedmounts.cacheDir", first.toString())).getFileName().toString();
    // The list of the archive this one would supersede: same shape, other content.
    Path inherited = cache.resolve(name.replaceFirst("-[0-9a-f]+\\.(jsa|aot)$",
        "-0000000000000000.$1.classes"));
    Files.write(inherited, jdkClasses("java.base", "java.xml", "java.desktop", "java.sql"));

    Fixtures.run(TrivialTestCase.class, with(small, "isolatedmounts.cacheDir", cache.toString()))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("runs("), finishedSuccessfully()));

    Path report = cache.resolve(name.replaceFirst("-[0-9a-f]+\\.(jsa|aot)$", ".failed.txt"));
    awaitFile(report, Duration.ofSeconds(120));
    Processes.awaitTraining();
    assertThat(report).content()
        .startsWith("The archive " + name + " was trained without the")
        // Where the metaspace runs out decides which: a class whose initializer it cut short
        // fails later uses with NoClassDefFoundError.
        .containsAnyOf("OutOfMemoryError: Metaspace", "NoClassDefFoundError");
    assertThat(cache.resolve(name)).as("the archive").isRegularFile();
    assertThat(cache.resolve(name + ".classes")).as("held none").doesNotExist();
  }

  private static Map<String, String> with(Map<String, String> map, String key, String value) {
    Map<String, String> more = new HashMap<>(map);
    more.put(key, value);
    return more;
  }

  /** The names of the classes of JDK {@code modules}. */
  private static List<String> jdkClasses(String... modules) throws IOException {
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    List<String> names = new ArrayList<>();
    for (String module : modules) {
      Path root = jrt.getPath("/modules", module);
      try (Stream<Path> files = Files.walk(root)) {
        files.map(file -> root.relativize(file).toString())
            .filter(file -> file.endsWith(".class") && !file.equals("module-info.class"))
            .map(file -> file.substring(0, file.length() - ".class".length()).replace('/', '.'))
            .forEach(names::add);
      }
    }
    return names;
  }

  /**
   * A child with a read-only root logs through a named pipe: a log file open for writing would
   * make the root's remount fail. The test passing in the second run shows the remount worked
   * with the pipe open; the list, that the log was read.
   */
  @Test
  @DisplayName("children with a read-only root teach the archive their libraries too")
  void archiveLearnsFromReadOnlyRoot(@TempDir Path cache) throws Exception {
    Map<String, String> configuration = Map.of("isolatedmounts.cacheDir", cache.toString(),
        "isolatedmounts.pool", "0");
    Path archive = trainedBy(ReadOnlyRootXmlTestCase.class, cache, configuration);

    Fixtures.run(ReadOnlyRootXmlTestCase.class, configuration).testEvents().assertThatEvents()
        .haveExactly(1, event(test("parses("), finishedSuccessfully()));
    Path trained = archive.resolveSibling(archive.getFileName() + ".classes");
    awaitFile(trained, Duration.ofSeconds(90));
    assertThat(Files.readAllLines(trained)).contains(XmlTestCase.PARSER);
    Processes.awaitTraining();
  }

  @Test
  @DisplayName("children given a java.io.tmpdir that only their mounts make get an archive too:"
      + " its training, which has no mounts, keeps the default one")
  void archiveWithTmpDirOfTheMounts(@TempDir Path cache) throws Exception {
    Fixtures.run(MountedTmpDirTestCase.class, Map.of("isolatedmounts.cacheDir", cache.toString(),
            "isolatedmounts.pool", "0"))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("usesItsTmpDir("), finishedSuccessfully()));
    awaitArchive(cache, Duration.ofSeconds(90));
    Processes.awaitTraining();
  }

  /**
   * A trapExit child starts with an agent; from JDK 25 on a JVM with an agent cannot map a cache
   * made without it (nor the JDK's own archive then), so those children get a cache of their own,
   * trained with the agent.
   */
  @Test
  @DisplayName("children that trap System.exit start with an archive too")
  void classDataSharingWithTrapExit(@TempDir Path cache) throws Exception {
    Map<String, String> configuration = Map.of("isolatedmounts.cacheDir", cache.toString());
    Fixtures.run(TrapExitRepeatedTestCase.class, configuration);

    Path archive = awaitArchive(cache, Duration.ofSeconds(90));
    System.setProperty("it.cds.archive", archive.toString());
    Fixtures.run(TrapExitSharingTestCase.class, configuration).testEvents().assertThatEvents()
        .haveExactly(1, event(test("usesTheArchive("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("JUnit's Flight Recorder listeners stay out of a child, which starts faster without")
  void noFlightRecorderListeners() {
    Fixtures.run(FlightRecorderTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("withoutRecording("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a child started with a recording keeps JUnit's Flight Recorder listeners")
  void flightRecorderListenersWhenRecording(@TempDir Path recordings) {
    assumeTrue(present("org.junit.platform.launcher.jfr.FlightRecordingExecutionListener"),
        "JUnit 5 has no Flight Recorder listeners in its launcher");
    Fixtures.run(FlightRecorderTestCase.class, Map.of("isolatedmounts.jvmArgs",
            "-XX:StartFlightRecording=filename=" + recordings.resolve("child.jfr")))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("withoutRecording("), finishedWithFailure(message(m ->
            m.contains("JFR listener loaded")))));
  }

  @Test
  @DisplayName("JNA in a child starts from the library path an earlier child found: no ldconfig"
      + " per child")
  void jnaLibraryPathFromTheParent() {
    // The first may be the first child of the run, which finds it and tells.
    Fixtures.run(JnaTestCase.class);
    Fixtures.run(JnaTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("libraryPathGiven("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a JNA library path of the user's own reaches the child unchanged")
  void jnaLibraryPathOfTheUser() {
    Fixtures.run(JnaTestCase.class, Map.of("isolatedmounts.jvmArgs",
            "-Djna.platform.library.path=" + JnaTestCase.USER_PATH))
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("libraryPathGiven("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a child leaves the user's home as it was: JNA's temporary directory is the"
      + " child's own, writable under a read-only root too, unless the user chose one")
  void jnaTemporaryDirectory(@TempDir Path home, @TempDir Path chosen) {
    for (Class<?> testCase : List.of(JnaTemporaryDirectoryTestCase.class,
        ReadOnlyRootJnaTemporaryDirectoryTestCase.class)) {
      Fixtures.run(testCase, Map.of("isolatedmounts.jvmArgs", "-Duser.home=" + home))
          .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }
    assertThat(home).as("the home the children were given").isEmptyDirectory();

    // (Under a read-only root, a directory of the user's choice is read-only, as any other.)
    Path choice = chosen.resolve("jna");
    Fixtures.run(JnaTemporaryDirectoryTestCase.class, Map.of("isolatedmounts.jvmArgs",
            "-Duser.home=" + home + " -Djna.tmpdir=" + choice))
        .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    assertThat(choice).as("made by JNA as it loaded").isDirectory();
    assertThat(home).isEmptyDirectory();
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, ChildJvmTests.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Runs {@code testCase} once, so that an archive is trained; that archive, once written. */
  private static Path trainedBy(Class<?> testCase, Path cache, Map<String, String> configuration)
      throws Exception {
    Fixtures.run(testCase, configuration);
    Path archive = awaitArchive(cache, Duration.ofSeconds(90));
    Processes.awaitTraining();
    return archive;
  }

  /**
   * Children logging their class loading into {@code log}, one at a time so that one writes it:
   * with JVM options of their own, they train and use an archive for those.
   */
  private static Map<String, String> loggingClasses(Path cache, Path log) {
    return Map.of("isolatedmounts.cacheDir", cache.toString(), "isolatedmounts.pool", "0",
        "isolatedmounts.jvmArgs", "-Xlog:class+load=info:file=" + log);
  }

  private static void assertFromArchive(Path log, String type) throws IOException {
    assertThat(Files.readAllLines(log)).as("how the child loaded %s", type)
        .filteredOn(line -> line.contains("] " + type + " source: "))
        .singleElement(STRING)
        .contains("source: shared objects file");
  }

  private static void awaitFile(Path file, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        StringBuilder why = new StringBuilder();
        try (Stream<Path> files = Files.list(file.getParent())) {
          for (Path report : (Iterable<Path>) files
              .filter(f -> f.toString().endsWith(".failed.txt"))::iterator) {
            why.append('\n').append(Files.readString(report));
          }
        }
        throw new AssertionError("no " + file + " after " + timeout + why);
      }
      Thread.sleep(200);
    }
  }

  private static Path awaitArchive(Path cache, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(cache)) {
        // A dynamic archive up to JDK 24, an ahead-of-time cache from JDK 25 on.
        var archive = files.filter(f -> f.getFileName().toString().matches("child-.*\\.(jsa|aot)"))
            .findFirst();
        if (archive.isPresent()) {
          assertThat(cache.resolve(archive.get().getFileName().toString()
              .replaceFirst("-[0-9a-f]+\\.(jsa|aot)$", ".failed.txt")))
              .as("a failure report, once an archive is made").doesNotExist();
          return archive.get();
        }
      }
      Thread.sleep(200);
    }
    StringBuilder why = new StringBuilder();
    try (Stream<Path> files = Files.list(cache)) {
      for (Path report : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".failed.txt"))
          ::iterator) {
        why.append('\n').append(Files.readString(report));
      }
    }
    throw new AssertionError("no archive in " + cache + " after " + timeout + why);
  }

  @IsolatedMounts(jvmArgs = "-Djava.io.tmpdir=/var/tmp/isolated-mounts-it")
  @dev.isolatedmounts.Tmpfs("/var/tmp/isolated-mounts-it")
  static class MountedTmpDirTestCase {
    @Test
    void usesItsTmpDir(@TempDir Path temp) {
      assertThat(temp).startsWith(Path.of("/var/tmp/isolated-mounts-it"));
    }
  }

  @IsolatedMounts
  static class DefaultOptionsTestCase {
    @Test
    void withoutDefaults() {
      assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
          .doesNotContain(ChildJvmTests.DEFAULT_OPTIONS.toArray(String[]::new));
    }
  }

  /** The options a child starts with unless isolatedmounts.defaultJvmArgs says otherwise. */
  static final java.util.List<String> DEFAULT_OPTIONS = java.util.List.of(
      "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10", "-XX:+UseSerialGC",
      "-XX:-UsePerfData", "-Xshare:auto");

  @IsolatedMounts(jvmArgs = {"-XX:+UseParallelGC", "-Dfrom.annotation=yes"})
  static class JvmArgsTestCase {
    @Test
    @IsolatedMounts(jvmArgs = "-Dfrom.method=yes")
    void configured() {
      assertThat(System.getProperty("from.annotation")).isEqualTo("yes");
      assertThat(System.getProperty("from.method")).isEqualTo("yes");
      assertThat(System.getProperty("from.config")).isEqualTo("yes");
      assertThat(System.getProperty("with.space")).isEqualTo("a b");
      assertThat(ManagementFactory.getGarbageCollectorMXBeans())
          .extracting(bean -> bean.getName()).contains("PS Scavenge");
      assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
          .contains("-XX:TieredStopAtLevel=1").doesNotContain("-XX:+UseSerialGC");
    }
  }

  @IsolatedMounts(jvmArgs = "-Dit.property.declared=annotation")
  static class PropertiesTestCase {
    @Test
    void forwarded() {
      assertThat(System.getProperty("it.property.parent")).isEqualTo("parent");
      assertThat(System.getProperty("it.property.chosen")).isEqualTo("configuration");
      assertThat(System.getProperty("it.property.declared")).isEqualTo("annotation");
    }
  }

  @IsolatedMounts
  static class RepeatedTestCase {
    @RepeatedTest(4)
    void repeated() {
      assertThat(Path.of("/proc/self/ns/mnt")).exists();
    }
  }

  /**
   * JUnit 6 registers its JFR listeners in every launcher it makes while the Flight Recorder is
   * available; JUnit 5 has none to register.
   */
  @IsolatedMounts(jvmArgs = "--add-opens=java.base/java.lang=ALL-UNNAMED")
  static class FlightRecorderTestCase {
    @Test
    void withoutRecording() throws Exception {
      String listener = "org.junit.platform.launcher.jfr.FlightRecordingExecutionListener";
      ClassLoader loader = ClassLoader.getSystemClassLoader();
      var findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
      findLoadedClass.setAccessible(true);
      assertThat(findLoadedClass.invoke(loader, listener)).as("JFR listener loaded").isNull();
    }
  }

  @IsolatedMounts
  static class SharingTestCase {
    @Test
    void usesTheArchive() throws IOException {
      String archive = System.getProperty("it.cds.archive");
      assertThat(jvmArguments())
          .containsAnyOf("-XX:SharedArchiveFile=" + archive, "-XX:AOTCache=" + archive);
      // Given is not used: a JVM that cannot map an archive goes on without, silently.
      assertThat(System.getProperty("java.vm.info")).as("java.vm.info").contains("sharing");
      // The jars come first: the archive is only valid for a class path that starts with them.
      assertThat(System.getProperty("java.class.path").split(":")[0]).endsWith(".jar");
    }
  }

  @IsolatedMounts
  static class TemporaryFilesTestCase {
    @Test
    void replaces(@TempDir Path directory) throws IOException {
      Path temporary = Files.createTempFile(directory, "value", ".tmp");
      Files.move(temporary, directory.resolve("value"), StandardCopyOption.ATOMIC_MOVE);
      assertThat(directory.resolve("value")).exists();
    }
  }

  @IsolatedMounts
  static class XmlTestCase {
    static final String PARSER =
        "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl";

    @Test
    void parses() throws Exception {
      var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream("<mounts><tmpfs/></mounts>".getBytes(UTF_8)));
      assertThat(document.getDocumentElement().getChildNodes().getLength()).isEqualTo(1);
    }
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class ReadOnlyRootXmlTestCase {
    @Test
    void parses() throws Exception {
      new XmlTestCase().parses();
      assertThat(Files.isWritable(Path.of("/etc"))).as("/etc writable").isFalse();
    }
  }

  @IsolatedMounts(trapExit = true)
  static class TrapExitRepeatedTestCase {
    @RepeatedTest(2)
    void repeated() {
      assertThat(Path.of("/proc/self/ns/mnt")).exists();
    }
  }

  /**
   * The JVM's arguments, read from /proc and the argument file rather than through the JDK's
   * management beans: those are some fifty classes an archive lacks, and a child that loads them
   * has the archive trained again, into a cache directory the test is about to remove.
   */
  static List<String> jvmArguments() throws IOException {
    List<String> arguments = new ArrayList<>();
    for (String argument : Files.readString(Path.of("/proc/self/cmdline")).split("\0")) {
      arguments.add(argument);
      if (argument.startsWith("@")) {
        for (String line : Files.readAllLines(Path.of(argument.substring(1)))) {
          // One argument a line, in double quotes, with backslash escapes inside them.
          arguments.add(line.substring(1, line.length() - 1).replaceAll("\\\\(.)", "$1"));
        }
      }
    }
    return arguments;
  }

  @IsolatedMounts(trapExit = true)
  static class TrapExitSharingTestCase {
    @Test
    void usesTheArchive() throws IOException {
      new SharingTestCase().usesTheArchive();
    }
  }

  @IsolatedMounts
  static class TrivialTestCase {
    @Test
    void runs() {
      assertThat(Path.of("/proc/self/ns/mnt")).exists();
    }
  }

  @IsolatedMounts
  static class SharingChoiceTestCase {
    @Test
    void chosen() {
      assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
          .contains(System.getProperty("it.sharing.choice")).doesNotContain("-Xshare:auto");
    }
  }

  @IsolatedMounts
  static class JnaTemporaryDirectoryTestCase {

    @Test
    void unpacks() throws IOException {
      unpacksIntoItsDirectory();
    }

    /** What a library shipping its native code in a jar has JNA do. */
    static void unpacksIntoItsDirectory() throws IOException {
      java.io.File unpacked = com.sun.jna.Native.extractFromResourcePath("/com/sun/jna/"
          + com.sun.jna.Platform.RESOURCE_PREFIX + "/libjnidispatch.so",
          com.sun.jna.Native.class.getClassLoader());
      assertThat(unpacked).isFile();
      Path directory = unpacked.toPath().getParent();
      assertThat(directory).isEqualTo(Path.of(System.getProperty("jna.tmpdir")));
      if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .noneMatch(option -> option.startsWith("-Djna.tmpdir="))) {
        // isolated-mounts-<pid>-*/tmp/jna: in the child's own directory
        assertThat(directory.getParent().getParent().getFileName().toString())
            .startsWith("isolated-mounts-");
      }
    }
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class ReadOnlyRootJnaTemporaryDirectoryTestCase {

    @Test
    void unpacks() throws IOException {
      JnaTemporaryDirectoryTestCase.unpacksIntoItsDirectory();
    }
  }

  @IsolatedMounts
  static class JnaTestCase {
    static final String USER_PATH = "/lib:/usr/lib:/isolated-mounts-it-user-choice";

    @Test
    void libraryPathGiven() {
      com.sun.jna.Native.getLastError(); // JNA is loaded, as it is in every child
      var given = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(option -> option.startsWith("-Djna.platform.library.path=")).toList();
      // Given on the command line, JNA does not run ldconfig to work it out again.
      assertThat(given).hasSize(1);
      String path = System.getProperty("jna.platform.library.path");
      assertThat(given.get(0)).isEqualTo("-Djna.platform.library.path=" + path);
      if (!path.equals(USER_PATH)) {
        assertThat(path.split(":")).anyMatch(directory -> Files.exists(Path.of(directory)));
      }
    }
  }
}
