package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The classes a child loaded beyond its archive")
class LoadedClassesTests {

  @Test
  @DisplayName("are those from the JDK's modules and the class path's jars, not from elsewhere")
  void missing() {
    String log = String.join("\n",
        "java.lang.Object source: shared objects file",
        "org.junit.jupiter.api.Test source: shared objects file (top)",
        "javax.xml.parsers.DocumentBuilderFactory source: jrt:/java.xml",
        "com.example.Library source: file:/repository/library.jar",
        "com.example.Other source: file:/elsewhere/other.jar",
        "com.example.MyTest source: file:/project/target/test-classes/",
        "com.example.Library$$Lambda/0x000001 source: com.example.Library",
        "jdk.proxy1.$Proxy3 source: __dynamic_proxy__",
        "com.example.Cut sou");

    assertThat(LoadedClasses.missing(log, List.of("/repository/./library.jar")))
        .containsExactly("javax.xml.parsers.DocumentBuilderFactory", "com.example.Library");
  }

  @Test
  @DisplayName("are logged by an option the JVM takes, or not at all where the path would break it")
  void logOption() {
    assertThat(LoadedClasses.logOption(Path.of("/tmp/child/classes.log")))
        .hasValue("-Xlog:class+load=info:file=/tmp/child/classes.log:none:filecount=0");
    assertThat(LoadedClasses.logOption(Path.of("/tmp/a:b/classes.log"))).isEmpty();
    assertThat(LoadedClasses.logOption(Path.of("/tmp/a b/classes.log"))).isEmpty();
    assertThat(LoadedClasses.logOption(Path.of("/tmp/a%p/classes.log"))).as("the JVM's pid")
        .isEmpty();
  }

  @Test
  @DisplayName("come from a jar the JVM names by its real path, as a URL")
  void jarThroughLink(@TempDir Path directory) throws Exception {
    // A jar in a directory with a space in its name, on the class path through a symbolic link.
    Path real = Files.createDirectories(directory.resolve("a b/real"));
    Path jar = real.resolve("probe.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> type : List.of(Probe.class, Probe.Loaded.class)) {
        String entry = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
      }
    }
    Path link = Files.createSymbolicLink(directory.resolve("link"), real);
    Path log = directory.resolve("classes.log");
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xshare:off", "-Xlog:class+load=info:file=" + log + ":none",
            "-cp", link.resolve("probe.jar").toString(), Probe.class.getName())
        .redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor()).as(output).isZero();

    assertThat(LoadedClasses.missing(Files.readString(log),
            List.of(link.resolve("probe.jar").toString())))
        .contains(Probe.class.getName(), Probe.Loaded.class.getName(), "java.lang.Object");
  }

  /** Run from a jar by {@link #jarThroughLink}. */
  static final class Probe {
    public static void main(String[] args) {
      new Loaded();
    }

    static final class Loaded {}
  }

  @Test
  @DisplayName("are read as a child writes them, up to a bound")
  void reading() {
    LoadedClasses.Reading reading = new LoadedClasses.Reading(Set.of());
    IntStream.range(0, LoadedClasses.LIMIT + 10)
        .forEach(i -> reading.line("com.example.C" + i + " source: jrt:/java.base"));

    assertThat(reading.names()).hasSize(LoadedClasses.LIMIT)
        .startsWith("com.example.C0", "com.example.C1");
  }

  @Test
  @DisplayName("train the archive again once enough of them are new to it")
  void beyond() {
    // C0 is held, C1 was tried: neither is new.
    TrainedClasses trained =
        new TrainedClasses(Set.of("com.example.C0"), Set.of("com.example.C1"));

    assertThat(LoadedClasses.beyond(names(LoadedClasses.RETRAIN_AT + 1), trained)).isEmpty();
    assertThat(LoadedClasses.beyond(names(LoadedClasses.RETRAIN_AT + 2), trained)).get()
        .asInstanceOf(InstanceOfAssertFactories.collection(String.class))
        .hasSize(LoadedClasses.RETRAIN_AT)
        .doesNotContain("com.example.C0", "com.example.C1");
    Set<String> full = IntStream.range(0, LoadedClasses.LIMIT).mapToObj(i -> "org.example.T" + i)
        .collect(Collectors.toSet());
    assertThat(LoadedClasses.beyond(names(LoadedClasses.RETRAIN_AT + 2),
        new TrainedClasses(full, Set.of()))).as("holding the most").isEmpty();
  }

  @Test
  @DisplayName("are added to what another JVM added meanwhile, not instead of it")
  void adding() {
    Set<String> ours = names(LoadedClasses.RETRAIN_AT);
    Set<String> theirs = IntStream.range(0, LoadedClasses.RETRAIN_AT)
        .mapToObj(i -> "org.example.T" + i).collect(Collectors.toSet());
    TrainedClasses meanwhile = new TrainedClasses(theirs, Set.of("org.example.X"));

    TrainedClasses goal = LoadedClasses.adding(meanwhile, ours).orElseThrow();
    assertThat(goal.held()).hasSize(2 * LoadedClasses.RETRAIN_AT).containsAll(theirs)
        .containsAll(ours);
    assertThat(goal.tried()).containsExactly("org.example.X");
    assertThat(LoadedClasses.adding(goal, ours)).as("added by another JVM already").isEmpty();
  }

  private static Set<String> names(int classes) {
    return IntStream.range(0, classes).mapToObj(i -> "com.example.C" + i)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
