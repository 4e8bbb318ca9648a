package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.modifier.ModifierContributor;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.implementation.StubMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import java.util.stream.Stream;

@DisplayName("A bad declaration fails its test before any child starts")
class DeclarationTests {

  @Test
  @DisplayName("each bad declaration names annotation, attribute, value and fix")
  void rejected(@TempDir Path temp) throws IOException {
    Path calls = temp.resolve("calls");
    EngineExecutionResults results = Fixtures.run(BadTestCase.class,
        Map.of("isolatedmounts.unshare", FakeUnshare.watching(calls).toString()));

    results.testEvents().assertThatEvents()
        .haveExactly(1, failed("relativeTarget", "@Tmpfs on method"
            + " BadTestCase.relativeTarget(): value must be an absolute path, but was"
            + " \"var/lib/app\"; write \"/var/lib/app\""))
        .haveExactly(1, failed("rootTarget", "@Tmpfs on method BadTestCase.rootTarget(): value"
            + " must not be \"/\""))
        .haveExactly(1, failed("dotDot", "@Bind on method BadTestCase.dotDot(): target must not"
            + " contain \"..\", but was \"/etc/../var\""))
        .haveExactly(1, failed("twice", "Mount target /var/lib/app is declared twice"))
        .haveExactly(1, failed("missingSource", "@Bind on method BadTestCase.missingSource():"
            + " source does not exist: "))
        .haveExactly(1, failed("size", "@Tmpfs on method BadTestCase.size(): size must be a"
            + " number of bytes with an optional k, m or g suffix, either case (\"64k\", \"4m\","
            + " \"1g\"), or a percentage of RAM up to 999 (\"10%\"), but was \"10 potatoes\""))
        .haveExactly(1, failed("mode", "@Tmpfs on method BadTestCase.mode(): mode must be octal"
            + " permissions such as \"0755\" or \"0700\" (digits 0-7 only), but was \"0999\""))
        .haveExactly(1, failed("sizeZero", "@Tmpfs on method BadTestCase.sizeZero(): size must be"
            + " more than zero, but was \"0\": the kernel takes a size of 0 as no limit at all;"
            + " leave size out for the kernel's default (half of RAM), or give a limit such as"
            + " \"64k\""))
        .haveExactly(1, failed("tmpfsOnAFile", "@Tmpfs on method BadTestCase.tmpfsOnAFile():"
            + " value must be a directory, but /etc/passwd is not one; a tmpfs is mounted on a"
            + " directory: mount it on /etc, or @Bind a file of your own onto /etc/passwd"))
        .haveExactly(1, failed("directoryOntoAFile", "@Bind on method"
            + " BadTestCase.directoryOntoAFile(): target must be a directory, since the source is"
            + " one, but /etc/passwd is a file"))
        .haveExactly(1, failed("inProc", "@Tmpfs on method BadTestCase.inProc(): value"
            + " /proc/isolated-mounts-it does not exist, and cannot be made in /proc, which is on"
            + " the kernel's proc file system"));
    results.containerEvents().assertThatEvents().haveExactly(1, event(
        org.junit.platform.testkit.engine.EventConditions.container("factory"),
        finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
            message(m -> m.startsWith("@TestFactory method factory cannot be isolated")
                && m.endsWith("; turn the factory into a @ParameterizedTest, or remove"
                    + " @IsolatedMounts, @Tmpfs, @Bind and @Overlay from it")))));
    Fixtures.run(IsolatedFactoryTestCase.class).containerEvents().assertThatEvents()
        .haveExactly(1, event(org.junit.platform.testkit.engine.EventConditions.container(
            "factory"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
            message(m -> m.endsWith("; turn the factory into a @ParameterizedTest, or move it to a"
                + " class without @IsolatedMounts, @Tmpfs, @Bind or @Overlay")))));
    Fixtures.run(BothFactoryTestCase.class).containerEvents().assertThatEvents()
        .haveExactly(1, event(org.junit.platform.testkit.engine.EventConditions.container(
            "factory"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
            message(m -> m.endsWith("; turn the factory into a @ParameterizedTest, or remove"
                + " @IsolatedMounts, @Tmpfs, @Bind and @Overlay from it and move it to a class"
                + " without them")))));
    assertThat(calls).as("unshare was never called").doesNotExist();
  }

  @Test
  @DisplayName("a @CsvFileSource file below a target, which JUnit would read on the host, fails"
      + " the parameterized test before JUnit reads it, naming the file in the bind's source")
  void csvFileBelowATarget() {
    String read = " is read in the test run's JVM, on the host, for JUnit to know the invocations,"
        + " not in the child; and it lies below ";
    Fixtures.run(CsvFileTestCase.class).containerEvents().assertThatEvents()
        .haveExactly(1, event(org.junit.platform.testkit.engine.EventConditions.container(
            "belowABind"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
            message("@CsvFileSource(files = \"/etc/isolated-mounts-it-csv/cases.csv\") on method"
                + " CsvFileTestCase.belowABind()" + read + "@Bind(source = \""
                + Path.of("src").toAbsolutePath() + "\", target = \"/etc/isolated-mounts-it-csv\","
                + " readOnly = true), which only the child sees: JUnit would read the host's"
                + " /etc/isolated-mounts-it-csv/cases.csv, or find none. Name the file in the"
                + " bind's source, files = \"" + Path.of("src/cases.csv").toAbsolutePath()
                + "\", or on the class path, with resources = ..."))))
        .haveExactly(1, event(org.junit.platform.testkit.engine.EventConditions.container(
            "belowATmpfs"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
            message(m -> m.contains(read + "@Tmpfs(\"/var/lib/isolated-mounts-it-csv\")")
                && m.endsWith(" Name a file outside the mounts, or on the class path, with"
                    + " resources = ...")))));
    Fixtures.run(CsvFileClassTestCase.class).containerEvents().assertThatEvents()
        .haveExactly(1, event(finishedWithFailure(
            instanceOf(ExtensionConfigurationException.class), message(m -> m.startsWith(
                "@CsvFileSource(files = \"/etc/isolated-mounts-it-csv/cases.csv\") on class"
                    + " CsvFileClassTestCase" + read + "@Bind(source = \"")))));
  }

  @IsolatedMounts
  @org.junit.jupiter.params.ParameterizedClass
  @org.junit.jupiter.params.provider.CsvFileSource(files = "/etc/isolated-mounts-it-csv/cases.csv")
  @Bind(source = "src", target = "/etc/isolated-mounts-it-csv", readOnly = true)
  static class CsvFileClassTestCase {
    @org.junit.jupiter.params.Parameter
    String value;

    @Test
    void test() {}
  }

  @IsolatedMounts
  static class CsvFileTestCase {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvFileSource(
        files = "/etc/isolated-mounts-it-csv/cases.csv")
    @Bind(source = "src", target = "/etc/isolated-mounts-it-csv", readOnly = true)
    void belowABind(String value) {}

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvFileSource(
        files = "/var/lib/isolated-mounts-it-csv/cases.csv")
    @Tmpfs("/var/lib/isolated-mounts-it-csv")
    void belowATmpfs(String value) {}
  }

  @Test
  @DisplayName("a mount on a lifecycle method, which would isolate nothing, fails the tests"
      + " before the method runs")
  void lifecycleMethod() {
    System.clearProperty("it.lifecycle.mount.ran");
    EngineExecutionResults results = Fixtures.run(LifecycleMountTestCase.class);

    results.containerEvents().assertThatEvents().haveExactly(1, event(
        org.junit.platform.testkit.engine.EventConditions.container(
            LifecycleMountTestCase.class),
        finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
            "@Tmpfs on @BeforeAll method LifecycleMountTestCase.prepare() would isolate"
                + " nothing: mounts and @IsolatedMounts apply to a test method, or to a class"
                + " for all its tests, and a lifecycle method runs in its test's child with"
                + " them; move the annotation to the class"))));
    results.testEvents().assertStatistics(stats -> stats.started(0));
    results = Fixtures.run(EachLifecycleMountTestCase.class);
    results.testEvents().assertThatEvents().haveExactly(1, event(test("test"),
        finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m ->
            m.startsWith("@Bind on @BeforeEach method EachLifecycleMountTestCase.setUp() would"
                + " isolate nothing")))));
    assertThat(System.getProperty("it.lifecycle.mount.ran")).as("ran").isNull();
  }

  @Test
  @DisplayName("a mount on a lifecycle method of a class nothing else isolates, which JUnit"
      + " would ignore, stops the run before any test")
  void lifecycleMethodOfPlainClass() throws ReflectiveOperationException {
    System.clearProperty("it.lifecycle.mount.ran");
    Class<?> plain = lifecycleTestCase("PlainLifecycleTestCase", BeforeEach.class, false,
        AnnotationDescription.Builder.ofType(Tmpfs.class).define("value", Fixtures.VAR_LIB)
            .build());
    assertThatThrownBy(() -> launch(plain))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("@Tmpfs on @BeforeEach method PlainLifecycleTestCase.setUp() would isolate"
            + " nothing: mounts and @IsolatedMounts apply to a test method, or to a class for all"
            + " its tests, and a lifecycle method runs in its test's child with them; move the"
            + " annotation to the class, or to each test method. JUnit applies no annotation of"
            + " a lifecycle method, and no declaration on " + plain.getName() + " (or a class it"
            + " runs within) runs isolated-mounts for all its tests, so the method would run on"
            + " the host: the test run stops before any test");
    // One test isolated by its own declaration: the other's would run on the host.
    Class<?> methodOnly = lifecycleTestCase("MethodOnlyLifecycleTestCase", AfterAll.class, true,
        AnnotationDescription.Builder.ofType(IsolatedMounts.class).define("readOnlyRoot", true)
            .build());
    assertThatThrownBy(() -> launch(methodOnly))
        .hasMessageStartingWith("@IsolatedMounts on @AfterAll method"
            + " MethodOnlyLifecycleTestCase.setUp() would isolate nothing")
        .hasMessageContaining("; move the annotation to the class. JUnit applies");
    assertThat(System.getProperty("it.lifecycle.mount.ran")).as("ran").isNull();

    // Where the extension runs for the class, it refuses the method itself: the outer class's,
    // or, for a @Nested class inherited from a superclass, the subclass's it runs within.
    assertThat(launch(OuterTestCase.class).getTestsFailedCount()).isEqualTo(1);
    assertThat(launch(ConcreteTestCase.class).getTestsFailedCount()).isEqualTo(1);
    assertThat(System.getProperty("it.lifecycle.mount.ran")).as("ran").isNull();
  }

  /**
   * A test class whose lifecycle method of {@code kind} declares {@code declaration}, with one
   * test (isolated by its own {@code @Tmpfs} if {@code isolatedTest}), made at run time: a class
   * written here would stop any run that scans this module for tests (an IDE's, the console
   * launcher's), not only the launch that means it.
   */
  private static Class<?> lifecycleTestCase(String name,
      Class<? extends java.lang.annotation.Annotation> kind, boolean isolatedTest,
      AnnotationDescription declaration) throws ReflectiveOperationException {
    boolean all = kind == AfterAll.class;
    var test = new ByteBuddy().subclass(Object.class)
        .name(DeclarationTests.class.getPackageName() + "." + name)
        .defineMethod("setUp", void.class, all ? new ModifierContributor.ForMethod[] {
            Visibility.PUBLIC, Ownership.STATIC} : new ModifierContributor.ForMethod[] {
            Visibility.PUBLIC})
        .intercept(MethodCall.invoke(System.class.getMethod("setProperty", String.class,
            String.class)).with("it.lifecycle.mount.ran", name))
        .annotateMethod(AnnotationDescription.Builder.ofType(kind).build(), declaration)
        .defineMethod("test", void.class, Visibility.PUBLIC)
        .intercept(StubMethod.INSTANCE)
        .annotateMethod(isolatedTest
            ? List.of(AnnotationDescription.Builder.ofType(Test.class).build(),
                AnnotationDescription.Builder.ofType(Tmpfs.class)
                    .define("value", Fixtures.VAR_LIB).build())
            : List.of(AnnotationDescription.Builder.ofType(Test.class).build()));
    return test.make().load(DeclarationTests.class.getClassLoader()).getLoaded();
  }

  /** Runs {@code testClass} as Surefire or an IDE does, with the listeners found on the path. */
  private static org.junit.platform.launcher.listeners.TestExecutionSummary launch(
      Class<?> testClass) {
    var summary = new org.junit.platform.launcher.listeners.SummaryGeneratingListener();
    try (var session = org.junit.platform.launcher.core.LauncherFactory.openSession()) {
      session.getLauncher().execute(org.junit.platform.launcher.core
          .LauncherDiscoveryRequestBuilder.request()
          .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(
              testClass))
          .build(), summary);
    }
    return summary.getSummary();
  }

  @Test
  @DisplayName("with one instance per class too, once: not again, suppressed, after the test")
  void reportedOnce() {
    Throwable failure = Fixtures.run(BadPerClassTestCase.class).testEvents().failed().stream()
        .findFirst().orElseThrow().getRequiredPayload(TestExecutionResult.class).getThrowable()
        .orElseThrow();

    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageStartingWith("@Tmpfs on method BadPerClassTestCase.relativeTarget(): value"
            + " must be an absolute path");
    assertThat(failure.getSuppressed()).isEmpty();
  }

  /**
   * JUnit calls these methods past every interceptor, so they would run here, on the host. A
   * class that isolates only its methods runs its class-level set-up here by design, these too.
   */
  @Test
  @DisplayName("a whole isolated @ParameterizedClass refuses methods around its invocations,"
      + " before any of them runs here")
  void parameterizedClassMethods() {
    System.clearProperty("it.around.invocation");
    EngineExecutionResults results = Fixtures.run(AroundInvocationTestCase.class);

    results.containerEvents().assertThatEvents().haveExactly(1, event(
        finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
            "@BeforeParameterizedClassInvocation method " + AroundInvocationTestCase.class
                .getName() + ".before cannot run in an isolated class: JUnit calls it in the"
                + " test run's JVM, past every extension, so it would run there, on the host,"
                + " outside the mounts, and again in each child JVM. Move its work into a"
                + " @BeforeEach or @AfterEach method (they run in the child and see the class's"
                + " parameters), or declare the mounts on the test methods instead of the"
                + " class, so that the class's own set-up runs in the test run's JVM by"
                + " design"))));
    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(System.getProperty("it.around.invocation")).as("ran here").isNull();

    Fixtures.run(AroundInvocationPerMethodTestCase.class).testEvents()
        .assertStatistics(stats -> stats.started(1).succeeded(1));
    assertThat(System.getProperty("it.around.invocation")).as("ran here, by design")
        .isEqualTo("one");
  }

  @IsolatedMounts
  static class LifecycleMountTestCase {
    @org.junit.jupiter.api.BeforeAll
    @Tmpfs(Fixtures.VAR_LIB)
    static void prepare() {
      System.setProperty("it.lifecycle.mount.ran", "prepare");
    }

    @Test
    void test() {}
  }

  @IsolatedMounts
  static class OuterTestCase {
    @org.junit.jupiter.api.Nested
    class Inner {
      @org.junit.jupiter.api.BeforeEach
      @Tmpfs(Fixtures.VAR_LIB)
      void setUp() {
        System.setProperty("it.lifecycle.mount.ran", "inner setUp");
      }

      @Test
      void test() {}
    }
  }

  abstract static class BaseTestCase {
    @org.junit.jupiter.api.Nested
    class Inner {
      @org.junit.jupiter.api.BeforeEach
      @Tmpfs(Fixtures.VAR_LIB)
      void setUp() {
        System.setProperty("it.lifecycle.mount.ran", "inherited inner setUp");
      }

      @Test
      void test() {}
    }
  }

  @IsolatedMounts
  static class ConcreteTestCase extends BaseTestCase {}

  @Tmpfs(Fixtures.VAR_LIB)
  static class EachLifecycleMountTestCase {
    @org.junit.jupiter.api.BeforeEach
    @Bind(source = "src", target = "/etc/isolated-mounts-it")
    void setUp() {
      System.setProperty("it.lifecycle.mount.ran", "setUp");
    }

    @Test
    void test() {}
  }

  @Tmpfs(Fixtures.VAR_LIB)
  @org.junit.jupiter.params.ParameterizedClass
  @org.junit.jupiter.params.provider.ValueSource(strings = "one")
  static class AroundInvocationTestCase {
    @org.junit.jupiter.params.Parameter
    String value;

    @org.junit.jupiter.params.BeforeParameterizedClassInvocation
    static void before(String value) {
      System.setProperty("it.around.invocation", value);
    }

    @org.junit.jupiter.params.AfterParameterizedClassInvocation
    static void after(String value) {
      System.setProperty("it.around.invocation", value);
    }

    @Test
    void test() {}
  }

  @org.junit.jupiter.params.ParameterizedClass
  @org.junit.jupiter.params.provider.ValueSource(strings = "one")
  static class AroundInvocationPerMethodTestCase {
    @org.junit.jupiter.params.Parameter
    String value;

    @org.junit.jupiter.params.BeforeParameterizedClassInvocation
    static void before(String value) {
      System.setProperty("it.around.invocation", value);
    }

    @Test
    @Tmpfs(Fixtures.VAR_LIB)
    void test() {
      assertThat(Path.of(Fixtures.VAR_LIB)).isEmptyDirectory();
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class BadPerClassTestCase {
    @Test
    @Tmpfs("var/lib/app")
    void relativeTarget() {}
  }

  private static org.assertj.core.api.Condition<org.junit.platform.testkit.engine.Event> failed(
      String test, String messageStart) {
    return event(test(test), finishedWithFailure(
        instanceOf(ExtensionConfigurationException.class),
        message(m -> m.startsWith(messageStart))));
  }

  @Tmpfs("/var/lib/app")
  static class IsolatedFactoryTestCase {
    @TestFactory
    Stream<DynamicTest> factory() {
      return Stream.of(DynamicTest.dynamicTest("never", () -> {}));
    }
  }

  @Tmpfs("/var/lib/app")
  static class BothFactoryTestCase {
    @TestFactory
    @Tmpfs("/var/lib/other")
    Stream<DynamicTest> factory() {
      return Stream.of(DynamicTest.dynamicTest("never", () -> {}));
    }
  }

  static class BadTestCase {
    @Test
    @Tmpfs("var/lib/app")
    void relativeTarget() {}

    @Test
    @Tmpfs("/")
    void rootTarget() {}

    @Test
    @Bind(source = "src", target = "/etc/../var")
    void dotDot() {}

    @Test
    @Tmpfs("/var/lib/app")
    @Bind(source = "src", target = "/var/lib/app/")
    void twice() {}

    @Test
    @Bind(source = "no/such/fixture", target = "/etc/app")
    void missingSource() {}

    @Test
    @Tmpfs(value = "/var/lib/app", size = "10 potatoes")
    void size() {}

    @Test
    @Tmpfs(value = "/var/lib/app", mode = "0999")
    void mode() {}

    @Test
    @Tmpfs(value = "/var/lib/app", size = "0")
    void sizeZero() {}

    @Test
    @Tmpfs("/etc/passwd")
    void tmpfsOnAFile() {}

    @Test
    @Bind(source = "src", target = "/etc/passwd")
    void directoryOntoAFile() {}

    @Test
    @Tmpfs("/proc/isolated-mounts-it")
    void inProc() {}

    @TestFactory
    @Tmpfs("/var/lib/app")
    Stream<DynamicTest> factory() {
      return Stream.of(DynamicTest.dynamicTest("never", () -> {}));
    }
  }
}
