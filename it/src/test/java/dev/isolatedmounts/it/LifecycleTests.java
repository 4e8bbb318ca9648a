package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The whole lifecycle of an isolated test runs in its child, after the mounts")
class LifecycleTests {

  /** Written by fixture code: stays empty in this JVM when the code ran only in children. */
  static final List<String> RAN_HERE = new CopyOnWriteArrayList<>();

  @Test
  @DisplayName("constructor, @BeforeAll, @BeforeEach, @TempDir, @AfterEach run only in the child")
  void lifecycleInChild(@TempDir Path log) throws IOException {
    RAN_HERE.clear();
    System.setProperty("it.lifecycle.log", log.resolve("log").toString());
    Files.createFile(log.resolve("log"));

    Fixtures.run(LifecycleTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("test"), finishedSuccessfully()));

    assertThat(RAN_HERE).isEmpty();
    // Each in the one child, in order: a skipped @AfterEach or @AfterAll would not fail the test.
    List<String> ran = Files.readAllLines(log.resolve("log"));
    assertThat(ran).containsExactly("beforeAll", "constructor", "beforeEach", "test", "afterEach",
        "afterAll");
  }

  /** Notes, in the file the parent named, that {@code what} ran, and in which process. */
  static void ran(String what) {
    try {
      Files.writeString(Path.of(System.getProperty("it.lifecycle.log")), what + "\n",
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("each parameterized and repeated invocation gets its own child and an empty tmpfs")
  void invocations(@TempDir Path pids) throws IOException {
    System.setProperty("it.pids", pids.resolve("pids").toString());
    Files.createFile(pids.resolve("pids"));

    Fixtures.run(InvocationsTestCase.class).testEvents().assertThatEvents()
        .haveExactly(3, event(test("eachInvocationSeesAnEmptyTmpfs"), finishedSuccessfully()))
        .haveExactly(2, event(test("eachRepetitionToo"), finishedSuccessfully()));

    List<String> seen = Files.readAllLines(pids.resolve("pids"));
    assertThat(seen).hasSize(5).doesNotHaveDuplicates()
        .doesNotContain(String.valueOf(ProcessHandle.current().pid()));
  }

  @Test
  @DisplayName("an extension the child's JUnit finds on the class path is made after the mounts,"
      + " though the child prepares JUnit before it knows its test")
  void autodetectedExtension() {
    Fixtures.run(AutodetectedTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("madeAfterTheMounts("), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a @Nested class inherits its enclosing class's mounts and adds its own")
  void nested() {
    Fixtures.run(OuterTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("outer"), finishedSuccessfully()))
        .haveExactly(1, event(test("inner"), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a subclass of an @IsolatedMounts class is isolated, with the inherited mounts")
  void inherited() {
    RAN_HERE.clear();

    Fixtures.run(SubclassTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("inheritsIsolation("), finishedSuccessfully()));

    assertThat(RAN_HERE).isEmpty();
  }

  @Test
  @DisplayName("in a class with one isolated method, the others run in this JVM as usual")
  void mixed() {
    RAN_HERE.clear();

    Fixtures.run(MixedTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("plain("), finishedSuccessfully()))
        .haveExactly(1, event(test("isolated("), finishedSuccessfully()));

    assertThat(RAN_HERE).containsExactly("plain");
  }

  @IsolatedMounts(jvmArgs = "-Djunit.jupiter.extensions.autodetection.enabled=true")
  @Tmpfs(MountWitness.TARGET)
  static class AutodetectedTestCase {
    @Test
    void madeAfterTheMounts() {
      assertThat(MountWitness.MADE).as("for each MountWitness made: was the tmpfs mounted?")
          .containsExactly(true);
    }
  }

  @IsolatedMounts
  @Tmpfs(Fixtures.VAR_LIB)
  static class LifecycleTestCase {

    private final Path constructedAt;
    @TempDir private Path temp;

    LifecycleTestCase() throws IOException {
      RAN_HERE.add("constructor");
      ran("constructor");
      constructedAt = Files.writeString(Path.of(Fixtures.VAR_LIB, "constructed"), "yes");
    }

    @BeforeAll
    static void beforeAll() throws IOException {
      RAN_HERE.add("beforeAll");
      ran("beforeAll");
      Files.writeString(Path.of(Fixtures.VAR_LIB, "beforeAll"), "yes");
    }

    @BeforeEach
    void beforeEach() throws IOException {
      RAN_HERE.add("beforeEach");
      ran("beforeEach");
      Files.writeString(temp.resolve("from-before-each"), "yes");
    }

    @Test
    void test(@TempDir Path parameter) throws IOException {
      RAN_HERE.add("test");
      ran("test");
      assertThat(constructedAt).hasContent("yes");
      assertThat(Path.of(Fixtures.VAR_LIB, "beforeAll")).hasContent("yes");
      assertThat(temp.resolve("from-before-each")).hasContent("yes");
      assertThat(parameter).isEmptyDirectory();
      assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
          .contains(" " + Fixtures.VAR_LIB + " ");
    }

    @AfterEach
    void afterEach() {
      RAN_HERE.add("afterEach");
      ran("afterEach");
      assertThat(Path.of(Fixtures.VAR_LIB, "constructed")).exists();
    }

    @AfterAll
    static void afterAll() {
      RAN_HERE.add("afterAll");
      ran("afterAll");
    }
  }

  @Tmpfs(Fixtures.VAR_LIB)
  static class InvocationsTestCase {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void eachInvocationSeesAnEmptyTmpfs(int n) throws IOException {
      check(n);
    }

    @RepeatedTest(2)
    void eachRepetitionToo() throws IOException {
      check(0);
    }

    private static void check(int n) throws IOException {
      try (var entries = Files.list(Path.of(Fixtures.VAR_LIB))) {
        assertThat(entries).isEmpty();
      }
      Files.writeString(Path.of(Fixtures.VAR_LIB, "invocation"), String.valueOf(n));
      Files.writeString(Path.of(System.getProperty("it.pids")),
          Fixtures.hostPid() + "\n", StandardOpenOption.APPEND);
    }
  }

  @IsolatedMounts
  @Tmpfs(Fixtures.VAR_LIB)
  static class OuterTestCase {

    @Test
    void outer() {
      assertThat(Path.of(Fixtures.VAR_LIB)).isEmptyDirectory();
      assertThat(Path.of(Fixtures.ETC)).doesNotExist();
    }

    @Nested
    @Bind(source = "src/test/fixtures/conf", target = Fixtures.ETC, readOnly = true)
    class InnerTestCase {
      @Test
      void inner() {
        assertThat(Path.of(Fixtures.VAR_LIB)).isEmptyDirectory();
        assertThat(Path.of(Fixtures.ETC, "app.conf")).content().contains("port=7070");
      }
    }
  }

  @IsolatedMounts
  @Tmpfs(Fixtures.VAR_LIB)
  abstract static class IsolatedBase {}

  static class SubclassTestCase extends IsolatedBase {
    @Test
    void inheritsIsolation() {
      RAN_HERE.add("subclass");
      assertThat(Path.of(Fixtures.VAR_LIB)).isEmptyDirectory();
    }
  }

  static class MixedTestCase {

    @Test
    void plain() {
      RAN_HERE.add("plain");
      assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
    }

    @Test
    @Tmpfs(Fixtures.VAR_LIB)
    void isolated() {
      RAN_HERE.add("isolated");
      assertThat(Path.of(Fixtures.VAR_LIB)).isEmptyDirectory();
    }
  }
}
