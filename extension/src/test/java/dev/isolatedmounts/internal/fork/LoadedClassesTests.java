package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
  }

  @Test
  @DisplayName("are kept one per line, up to a bound, and none are read from a missing file")
  void kept(@TempDir Path directory) throws IOException {
    Path file = directory.resolve("names");
    assertThat(LoadedClasses.read(file)).isEmpty();

    LoadedClasses.write(file, IntStream.range(0, LoadedClasses.LIMIT + 10)
        .mapToObj(i -> "com.example.C" + i).toList());

    Set<String> read = LoadedClasses.read(file);
    assertThat(read).hasSize(LoadedClasses.LIMIT).startsWith("com.example.C0", "com.example.C1");
    assertThat(Files.readAllLines(file)).hasSize(LoadedClasses.LIMIT);
  }

  @Test
  @DisplayName("train the archive again once enough of them are new to it")
  void retraining() {
    List<String> jars = List.of("/repository/library.jar");
    Set<String> trained = Set.of("com.example.C0", "com.example.C1");
    String fewNew = log(LoadedClasses.RETRAIN_AT + 1); // C0 and C1 were tried already
    String enoughNew = log(LoadedClasses.RETRAIN_AT + 2);

    assertThat(LoadedClasses.retraining(fewNew, jars, trained)).isEmpty();
    assertThat(LoadedClasses.retraining(enoughNew, jars, trained)).get()
        .asInstanceOf(InstanceOfAssertFactories.collection(String.class))
        .hasSize(LoadedClasses.RETRAIN_AT + 2)
        .containsAll(trained);
    assertThat(LoadedClasses.retraining(enoughNew, List.of("/elsewhere/library.jar"), Set.of()))
        .as("from a jar not on the class path").isEmpty();
    Set<String> full = IntStream.range(0, LoadedClasses.LIMIT).mapToObj(i -> "org.example.T" + i)
        .collect(Collectors.toSet());
    assertThat(LoadedClasses.retraining(enoughNew, jars, full)).as("trained with the most")
        .isEmpty();
  }

  private static String log(int classes) {
    return IntStream.range(0, classes)
        .mapToObj(i -> "com.example.C" + i + " source: file:/repository/library.jar")
        .collect(Collectors.joining("\n"));
  }
}
