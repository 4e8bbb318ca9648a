package dev.isolatedmounts.it;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An argument source runs in the test run's JVM, to know the invocations, and again in each child,
 * which takes the invocation at the parent's index. One that gives another order there (a Set.of
 * does, from JVM to JVM) would run other arguments than the parent named: the child refuses.
 */
@DisplayName("A parameterized test's child runs the arguments the test run's JVM named")
class ArgumentSourceTests {

  private static final String TARGET = Fixtures.VAR_LIB + "-arguments";
  private static final String FIX = "Give the arguments in a fixed order (a List, sorted) from the"
      + " same data in both; where they differ by design (random values), leave them out of the"
      + " invocations' names: ";

  @Test
  @DisplayName("other arguments in the child: the invocation fails before its method runs, saying"
      + " why and what to do")
  void otherArguments() {
    Fixtures.run(ReorderedTestCase.class).testEvents().assertThatEvents()
        .haveExactly(2, event(test("eachValue"), finishedWithFailure(message(m ->
            m.startsWith("Invocation [") && m.contains(" of ReorderedTestCase.eachValue() would"
                + " have run with other arguments in its child JVM, which JUnit named [")
                && m.endsWith(FIX + "@ParameterizedTest(name = \"[{index}]\")")))));
    Fixtures.run(ReorderedClassTestCase.class).testEvents().assertThatEvents()
        .haveExactly(2, event(test("test"), finishedWithFailure(message(m ->
            m.startsWith("Invocation [") && m.contains(" of @ParameterizedClass"
                + " ReorderedClassTestCase would have run with other arguments")
                && m.endsWith(FIX + "@ParameterizedClass(name = \"[{index}]\")")))));
  }

  @Test
  @DisplayName("the same arguments, and names that differ only in identity hashes, pass")
  void sameArguments() {
    Fixtures.run(IdentityTestCase.class).testEvents().assertThatEvents()
        .haveExactly(2, event(test("eachObject"), finishedSuccessfully()))
        .haveExactly(2, event(test("eachValue"), finishedSuccessfully()));
  }

  /** The values in one order where the tmpfs is, in the child, and in the other elsewhere. */
  static Stream<String> values() {
    return (inChild() ? List.of("second", "first") : List.of("first", "second")).stream();
  }

  private static boolean inChild() {
    try {
      return Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + TARGET + " ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @IsolatedMounts
  @Tmpfs(TARGET)
  static class ReorderedTestCase {
    @ParameterizedTest
    @MethodSource("dev.isolatedmounts.it.ArgumentSourceTests#values")
    void eachValue(String value) {}
  }

  @IsolatedMounts
  @Tmpfs(TARGET)
  @ParameterizedClass
  @MethodSource("dev.isolatedmounts.it.ArgumentSourceTests#values")
  static class ReorderedClassTestCase {
    @Parameter
    String value;

    @Test
    void test() {}
  }

  @IsolatedMounts
  static class IdentityTestCase {
    static Stream<Object> objects() {
      return Stream.of(new Object(), new Object());
    }

    @ParameterizedTest
    @MethodSource("objects")
    void eachObject(Object value) {}

    @ParameterizedTest
    @MethodSource("dev.isolatedmounts.it.ArgumentSourceTests#fixed")
    void eachValue(String value) {}
  }

  static Stream<String> fixed() {
    return Stream.of("first", "second");
  }
}
