package dev.isolatedmounts.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The floor an isolated test stands on: a fresh JVM that runs one trivial JUnit test and does
 * nothing else (no namespace, no mount, no socket, no warm-up), as leanly as a child does: the
 * children's default options, the same jars, an archive of exactly its own classes (trained
 * first), a launcher with the Jupiter engine alone and no listeners from the class path, made
 * while JUnit cannot find the Flight Recorder. Timed over JVMs started one after another, so its
 * wall time is a whole JVM's.
 */
final class BareJvm {

  /** The extension's default child options (ChildSettings.DEFAULT_JVM_OPTIONS), less -Xshare. */
  private static final List<String> CHILD_DEFAULTS = List.of("-XX:TieredStopAtLevel=1",
      "-XX:CompileThresholdScaling=10", "-XX:+UseSerialGC", "-XX:-UsePerfData");

  private final List<String> command;

  private BareJvm(List<String> command) {
    this.command = command;
  }

  /**
   * Writes the jar of {@link Main} and the directory of the measured test class, and trains the
   * archive of its classes with one run of a test in the jar. As for children: the JDK archives
   * no class from a directory, and test classes come from one ({@code target/test-classes}), so
   * the measured class is parsed and verified in every bare JVM, as it is in every child.
   */
  static BareJvm prepare(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path jar = directory.resolve("bare-main.jar");
    writeJar(jar, Main.class, Main.HidingFlightRecorder.class, Main.TrainingTestCase.class);
    Path classes = directory.resolve("test-classes");
    writeClass(classes, Main.TrivialTestCase.class);
    List<String> classPath = new ArrayList<>(jarsOfThisClassPath());
    classPath.add(jar.toString());
    boolean aotCache = Runtime.version().feature() >= 25;
    Path archive = directory.resolve(aotCache ? "bare.aot" : "bare.jsa");
    Files.deleteIfExists(archive);
    run(command(classPath, List.of(aotCache ? "-XX:AOTCacheOutput=" + archive
        : "-XX:ArchiveClassesAtExit=" + archive), Main.TrainingTestCase.class, "trivial"));
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the bare JVM's training wrote no archive: " + archive);
    }
    // The options with which the extension checks a child's archive (ArchiveFormat): like a
    // child's, but a JVM that cannot use the archive fails instead of measuring without it.
    List<String> use = aotCache
        ? List.of("-XX:AOTCache=" + archive, "-XX:AOTMode=on", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:-AOTReplayTraining")
        : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    classPath.add(classes.toString());
    BareJvm bare = new BareJvm(command(classPath, use, Main.TrivialTestCase.class, "trivial01"));
    // To rerun one by hand, or under a profiler.
    Files.writeString(directory.resolve("command.txt"), String.join(" ", bare.command) + "\n");
    return bare;
  }

  /** Starts one bare JVM and waits for it; it fails unless its test passed. */
  void runOnce() {
    run(command);
  }

  private static List<String> command(List<String> classPath, List<String> archive,
      Class<?> testClass, String method) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(CHILD_DEFAULTS);
    command.addAll(archive);
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath),
        Main.class.getName(), testClass.getName(), method));
    return command;
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).inheritIO()
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("the bare JVM failed: " + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The jars this JVM runs with, as children get them. A manifest-only jar (as Surefire can
   * start a JVM with) stands for the entries its manifest lists, relative to the jar.
   */
  private static List<String> jarsOfThisClassPath() throws IOException {
    Set<String> jars = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      String listed;
      try (JarFile jar = new JarFile(entry)) {
        listed = jar.getManifest() == null ? null
            : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      }
      if (listed == null) {
        jars.add(entry);
        continue;
      }
      URI base = Path.of(entry).toAbsolutePath().toUri();
      for (String url : listed.trim().split("\\s+")) {
        String path = Path.of(base.resolve(url)).toString();
        if (path.endsWith(".jar")) {
          jars.add(path);
        }
      }
    }
    return List.copyOf(jars);
  }

  private static void writeClass(Path directory, Class<?> type) throws IOException {
    String name = type.getName().replace('.', '/') + ".class";
    Path file = directory.resolve(name);
    Files.createDirectories(file.getParent());
    try (InputStream in = BareJvm.class.getClassLoader().getResourceAsStream(name)) {
      Files.write(file, in.readAllBytes());
    }
  }

  /** The JDK's dynamic archive refuses directories on the class path: the classes go in a jar. */
  private static void writeJar(Path jar, Class<?>... classes) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> type : classes) {
        String name = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(name));
        try (InputStream in = BareJvm.class.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }

  /** The bare JVM's main: {@code Main <test class> <method>} runs that test through JUnit. */
  public static final class Main {

    private Main() {}

    public static void main(String[] args) throws ReflectiveOperationException {
      Class<?> testClass = Class.forName(args[0]);
      // As the child loads it: the engine is a runtime dependency only.
      TestEngine jupiter = (TestEngine) Class.forName("org.junit.jupiter.engine.JupiterTestEngine")
          .getConstructor().newInstance();
      // The launcher a child makes (SingleTestRunner.jupiterSession, WithoutFlightRecorder),
      // written out here: the floor must not run the extension's own code.
      LauncherConfig config = LauncherConfig.builder()
          .enableTestEngineAutoRegistration(false)
          .enableLauncherSessionListenerAutoRegistration(false)
          .enableLauncherDiscoveryListenerAutoRegistration(false)
          .enableTestExecutionListenerAutoRegistration(false)
          .enablePostDiscoveryFilterAutoRegistration(false)
          .addTestEngines(jupiter)
          .build();
      Thread thread = Thread.currentThread();
      ClassLoader original = thread.getContextClassLoader();
      thread.setContextClassLoader(new HidingFlightRecorder(original));
      LauncherSession session;
      try {
        session = LauncherFactory.openSession(config); // its launcher is made here
      } finally {
        thread.setContextClassLoader(original);
      }
      SummaryGeneratingListener summary = new SummaryGeneratingListener();
      session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectMethod(testClass, args[1])).build(), summary);
      session.close();
      System.exit(summary.getSummary().getTestsSucceededCount() == 1 ? 0 : 1);
    }

    /** What the archive is trained with, from the jar, as children train on a test of their own. */
    public static final class TrainingTestCase {
      @Test
      void trivial() {
        if (System.nanoTime() == 0) {
          throw new AssertionError();
        }
      }
    }

    /** As a child's launcher is made: JUnit 6 then registers no Flight Recorder listeners. */
    static final class HidingFlightRecorder extends ClassLoader {

      HidingFlightRecorder(ClassLoader parent) {
        super(parent);
      }

      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals("jdk.jfr.FlightRecorder")) {
          throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, resolve);
      }
    }

    /**
     * The shape of {@link TwentyTests}' classes, twenty trivial methods, since JUnit reads every
     * method of a test's class to run one; the bare JVM runs the first.
     */
    public static final class TrivialTestCase {

      @Test
      void trivial01() {
        work();
      }

      @Test
      void trivial02() {
        work();
      }

      @Test
      void trivial03() {
        work();
      }

      @Test
      void trivial04() {
        work();
      }

      @Test
      void trivial05() {
        work();
      }

      @Test
      void trivial06() {
        work();
      }

      @Test
      void trivial07() {
        work();
      }

      @Test
      void trivial08() {
        work();
      }

      @Test
      void trivial09() {
        work();
      }

      @Test
      void trivial10() {
        work();
      }

      @Test
      void trivial11() {
        work();
      }

      @Test
      void trivial12() {
        work();
      }

      @Test
      void trivial13() {
        work();
      }

      @Test
      void trivial14() {
        work();
      }

      @Test
      void trivial15() {
        work();
      }

      @Test
      void trivial16() {
        work();
      }

      @Test
      void trivial17() {
        work();
      }

      @Test
      void trivial18() {
        work();
      }

      @Test
      void trivial19() {
        work();
      }

      @Test
      void trivial20() {
        work();
      }

      private static void work() {
        if (System.nanoTime() == 0) {
          throw new AssertionError();
        }
      }
    }
  }
}
