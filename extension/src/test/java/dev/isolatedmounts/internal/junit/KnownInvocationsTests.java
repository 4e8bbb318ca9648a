package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The number of invocations read from a template's annotations, against the number JUnit runs:
 * a count that is known must be exactly JUnit's.
 */
@DisplayName("KnownInvocations")
class KnownInvocationsTests {

  @Test
  @DisplayName("counts what JUnit runs: repetitions, and values, null and empty sources")
  void known() {
    Map<String, Integer> run = invocationsRun(CountedTestCase.class);

    assertThat(run).hasSize(7);
    run.forEach((method, invocations) -> assertThat(KnownInvocations.of(method(
        CountedTestCase.class, method))).as(method).contains(invocations));
  }

  @Test
  @DisplayName("knows nothing of other sources, composed ones, other templates and plain tests")
  void unknown() {
    Map<String, Integer> run = invocationsRun(UncountedTestCase.class);

    assertThat(run).hasSize(5);
    run.keySet().forEach(method -> assertThat(KnownInvocations.of(method(
        UncountedTestCase.class, method))).as(method).isEmpty());
    assertThat(KnownInvocations.of(method(UncountedTestCase.class, "plain"))).isEmpty();
  }

  /** The number of invocations each template of {@code testClass} ran, by method name. */
  private static Map<String, Integer> invocationsRun(Class<?> testClass) {
    Map<String, Integer> run = new HashMap<>();
    LauncherConfig config =
        LauncherConfig.builder().enableLauncherSessionListenerAutoRegistration(false).build();
    try (LauncherSession session = LauncherFactory.openSession(config)) {
      session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(DiscoverySelectors.selectClass(testClass)).build(),
          new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier identifier) {
              if (identifier.isTest() && identifier.getUniqueIdObject().getLastSegment().getType()
                  .equals("test-template-invocation")) {
                MethodSource source = (MethodSource) identifier.getSource().orElseThrow();
                run.merge(source.getMethodName(), 1, Integer::sum);
              }
            }
          });
    }
    return run;
  }

  private static Method method(Class<?> testClass, String name) {
    return Stream.of(testClass.getDeclaredMethods()).filter(m -> m.getName().equals(name))
        .findFirst().orElseThrow();
  }

  static class CountedTestCase {
    @RepeatedTest(3)
    void repeated() {}

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void values(int value) {}

    @ParameterizedTest
    @ValueSource(ints = 1)
    @ValueSource(ints = {2, 3})
    void repeatedValueSource(int value) {}

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "x")
    void nullAndValue(String value) {}

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"x", "y"})
    void nullEmptyAndValues(String value) {}

    @ParameterizedTest
    @EmptySource
    void empty(String value) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {String.class, Integer.class})
    void classes(Class<?> value) {}
  }

  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ValueSource(ints = {1, 2})
  @interface TwoInts {}

  static class UncountedTestCase {
    @ParameterizedTest
    @ValueSource(ints = 1)
    @org.junit.jupiter.params.provider.MethodSource("values")
    void valueAndMethodSource(int value) {}

    @ParameterizedTest
    @CsvSource({"1", "2"})
    void csv(int value) {}

    @ParameterizedTest
    @TwoInts
    void composed(int value) {}

    @TestTemplate
    @ExtendWith(TwoInvocations.class)
    void template() {}

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("values")
    void methodSource(int value) {}

    @Test
    void plain() {}

    static Stream<Integer> values() {
      return Stream.of(2, 3);
    }
  }

  static class TwoInvocations implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
      return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
        ExtensionContext context) {
      return Stream.of(new TestTemplateInvocationContext() { },
          new TestTemplateInvocationContext() { });
    }
  }
}
