package dev.isolatedmounts;

import dev.isolatedmounts.internal.junit.ArgumentFiles;
import dev.isolatedmounts.internal.junit.InvocationNames;
import dev.isolatedmounts.internal.junit.IsolatedExecution;
import dev.isolatedmounts.internal.junit.Isolation;
import dev.isolatedmounts.internal.junit.ParameterizedClassMethods;
import dev.isolatedmounts.internal.junit.PlaceholderInstance;
import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Decides for each call into test code whether it runs here or only in the child JVM.
 *
 * <p>In the parent JVM, an isolated test's constructor, lifecycle methods and test method are all
 * skipped; the whole test runs in a child instead: started just before the test method, whose
 * turn waits until the child's method has run, and whose result ends the test here just after.
 * In the child, whose one test is named by a system property, every call proceeds. Tests that are
 * not isolated are not touched.
 */
final class IsolatedMountsExtension implements InvocationInterceptor,
    BeforeTestExecutionCallback, AfterTestExecutionCallback,
    ClassTemplateInvocationContextProvider, TestTemplateInvocationContextProvider {

  /**
   * Starts the child and waits until its test method starts: its start, mounts and
   * {@code @BeforeEach} methods are then outside JUnit's timeout on the test method here.
   */
  @Override
  public void beforeTestExecution(ExtensionContext context) throws Exception {
    if (runsInAChild(context)) {
      IsolatedExecution.start(context);
    }
  }

  /**
   * Ends the test with the child's result, which comes after its {@code @AfterEach} methods:
   * outside JUnit's timeout on the test method, as they are in-process.
   */
  @Override
  public void afterTestExecution(ExtensionContext context) throws Exception {
    // Not asked again whether the test is isolated: for a bad declaration, that would throw the
    // error beforeTestExecution threw a second time. Without a child, end() does nothing.
    if (!Isolation.isChildOf(context)) {
      try {
        IsolatedExecution.end(context);
      } catch (Throwable t) {
        // Rethrown as it is, even a test's own subclass of Throwable: JUnit takes any.
        throw IsolatedMountsExtension.<RuntimeException>asUnchecked(t);
      }
    }
  }

  /**
   * Refuses, here in the parent, the methods JUnit runs around each invocation of a whole
   * isolated {@code @ParameterizedClass} ({@code @BeforeParameterizedClassInvocation},
   * {@code @AfterParameterizedClassInvocation}): JUnit calls them past every interceptor, so they
   * would run here, on the host, and again in each child. JUnit asks every provider of a class
   * template whether it supports it before any provider gives an invocation: refused here, the
   * class fails before any of them runs. An invocation's own callback would come too late for
   * the "after" methods, which JUnit runs even when the invocation's set-up failed. This
   * extension provides no invocation of its own.
   */
  @Override
  public boolean supportsClassTemplate(ExtensionContext context) {
    if (!Isolation.isChildOf(context) && Isolation.isIsolatedClass(context)) {
      ParameterizedClassMethods.refuse(context.getRequiredTestClass());
      ArgumentFiles.refuseBelowClassTargets(context);
    }
    return false;
  }

  /**
   * Refuses, here in the parent, a {@code @CsvFileSource} file below one of an isolated
   * parameterized test's targets, before JUnit reads it here, on the host
   * ({@link ArgumentFiles}). JUnit asks every provider whether it supports a template before any
   * gives an invocation. This extension provides no invocation of its own.
   */
  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    if (!Isolation.isChildOf(context)) {
      ArgumentFiles.refuseBelowTargets(context);
    }
    return false;
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    throw new IllegalStateException("JUnit asked for invocations that supportsTestTemplate"
        + " declined to provide");
  }

  @Override
  public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(
      ExtensionContext context) {
    throw new IllegalStateException("JUnit asked for invocations that supportsClassTemplate"
        + " declined to provide");
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T asUnchecked(Throwable t) throws T {
    throw (T) t;
  }

  private static boolean runsInAChild(ExtensionContext context) {
    return !Isolation.isChildOf(context) && Isolation.isIsolatedTest(context)
        && !AnnotationSupport.isAnnotated(context.getTestMethod(), TestFactory.class);
  }

  /** Constructor calls must see the test method, to know whether the instance is for a child. */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext root) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public <T> T interceptTestClassConstructor(Invocation<T> invocation,
      ReflectiveInvocationContext<Constructor<T>> invocationContext, ExtensionContext context)
      throws Throwable {
    if (Isolation.isChildOf(context) || !Isolation.isIsolatedTest(context)) {
      return invocation.proceed();
    }
    invocation.skip();
    return PlaceholderInstance.forTest(invocationContext.getExecutable().getDeclaringClass(),
        context);
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    refuseOnLifecycleMethod(invocationContext, context, "@BeforeAll");
    classLevel(invocation, context);
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    refuseOnLifecycleMethod(invocationContext, context, "@AfterAll");
    classLevel(invocation, context);
  }

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    refuseOnLifecycleMethod(invocationContext, context, "@BeforeEach");
    testLevel(invocation, context);
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    refuseOnLifecycleMethod(invocationContext, context, "@AfterEach");
    testLevel(invocation, context);
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    runTest(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    runTest(invocation, context);
  }

  @Override
  public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context)
      throws Throwable {
    if (Isolation.isChildOf(context) || !Isolation.isIsolatedTest(context)) {
      return invocation.proceed();
    }
    invocation.skip();
    Method factory = context.getRequiredTestMethod();
    throw new ExtensionConfigurationException("@TestFactory method " + factory.getName()
        + " cannot be isolated: isolated-mounts runs each @Test and each @ParameterizedTest,"
        + " @RepeatedTest or @TestTemplate invocation in its own child JVM, but not dynamic tests;"
        + " turn the factory into a @ParameterizedTest, or "
        + (!PlanReader.declaresIsolation(factory)
            ? "move it to a class without @IsolatedMounts, @Tmpfs, @Bind or @Overlay"
            : PlanReader.isolatesWholeClass(context.getRequiredTestClass())
                ? "remove @IsolatedMounts, @Tmpfs, @Bind and @Overlay from it and move it to a"
                    + " class without them"
                : "remove @IsolatedMounts, @Tmpfs, @Bind and @Overlay from it"));
  }

  @Override
  public void interceptDynamicTest(Invocation<Void> invocation,
      DynamicTestInvocationContext invocationContext, ExtensionContext context) throws Throwable {
    invocation.proceed(); // only reached in the child, or for a factory that is not isolated
  }

  /** In the parent only: a child's test was checked there, and its start is the hot path. */
  private static void refuseOnLifecycleMethod(ReflectiveInvocationContext<Method> invocation,
      ExtensionContext context, String kind) {
    if (!Isolation.isChildOf(context)) {
      PlanReader.refuseOnLifecycleMethod(invocation.getExecutable(), kind);
    }
  }

  private static void classLevel(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (Isolation.isChildOf(context) || !Isolation.isIsolatedClass(context)) {
      invocation.proceed();
    } else {
      invocation.skip();
    }
  }

  private static void testLevel(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (Isolation.isChildOf(context) || !Isolation.isIsolatedTest(context)) {
      invocation.proceed();
    } else {
      invocation.skip();
    }
  }

  private static void runTest(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (Isolation.isChildOf(context)) {
      InvocationNames.check(context);
      Isolation.testMethodStarts();
      try {
        invocation.proceed();
      } finally {
        Isolation.testMethodEnds();
      }
    } else if (!Isolation.isIsolatedTest(context)) {
      invocation.proceed();
    } else {
      invocation.skip();
      IsolatedExecution.awaitMethod(context);
    }
  }
}
