package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.fork.ChildJvmException;
import dev.isolatedmounts.internal.fork.ChildProcess;
import dev.isolatedmounts.internal.fork.ChildRequest;
import dev.isolatedmounts.internal.fork.NamespaceProbe;
import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.PlanReader;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.engine.UniqueId;
import org.opentest4j.TestAbortedException;

/**
 * Runs one isolated test in its own child JVM and ends it here as in-process JUnit would have:
 * returns on success, rethrows the child's exception on failure, aborts on an aborted test.
 */
public final class IsolatedExecution {

  private static final Namespace NAMESPACE = Namespace.create(IsolatedExecution.class);
  private static final Duration DEBUG_CONNECT_TIMEOUT = Duration.ofDays(1);

  private IsolatedExecution() {}

  public static void run(ExtensionContext context) throws Throwable {
    Class<?> testClass = context.getRequiredTestClass();
    // Validated first: a bad declaration fails before any child starts.
    MountPlan plan = PlanReader.read(testClass, context.getTestMethod()).orElseThrow();
    NamespaceProbe.Supported namespaces = namespaces(context);

    Optional<Integer> debugPort = ChildSettings.debugPort(context);
    List<String> jvmOptions = new ArrayList<>(ChildSettings.jvmOptions());
    debugPort.ifPresent(port -> jvmOptions.add(ChildSettings.debugAgent(port)));
    ChildRequest request = new ChildRequest(childUniqueId(context.getUniqueId()),
        context.getDisplayName(), plan, classPath(context, testClass), jvmOptions,
        ChildSettings.systemProperties(), ChildSettings.configurationParameters(context),
        // A suspended child connects only once someone has attached and resumed it.
        debugPort.isPresent() ? DEBUG_CONNECT_TIMEOUT : ChildSettings.connectTimeout(context),
        testClass.getClassLoader());
    debugPort.ifPresent(port -> announceDebugger(context, port));
    Result result;
    // The child lives only as long as this call; try-with-resources ends it on every path.
    try (ChildProcess child = ChildProcess.start(namespaces, request)) {
      result = child.await(context::publishReportEntry);
    } catch (IOException e) {
      throw new ChildJvmException("Could not start the child JVM of isolated test '"
          + context.getDisplayName() + "': " + e.getMessage(), e);
    }
    finish(result);
  }

  private static void announceDebugger(ExtensionContext context, int port) {
    System.err.println("[isolated-mounts] The child JVM of isolated test '"
        + context.getDisplayName() + "' waits for a debugger on port " + port + " ("
        + ChildSettings.DEBUG + "=" + port + "): attach with your IDE's remote JVM debug"
        + " configuration (socket attach, host localhost, port " + port + ") or with 'jdb -attach "
        + port + "'.");
    System.err.flush();
  }

  private static void finish(Result result) throws Throwable {
    Throwable thrown = result.throwable();
    switch (result.outcome()) {
      case SUCCESSFUL -> { }
      case ABORTED -> throw thrown instanceof TestAbortedException aborted ? aborted
          : new TestAbortedException(thrown == null ? "aborted in the child JVM"
              : thrown.toString(), thrown);
      case FAILED -> throw thrown != null ? thrown
          : new JUnitException("The test failed in the child JVM without an exception");
    }
  }

  private static NamespaceProbe.Supported namespaces(ExtensionContext context) {
    boolean abort = ChildSettings.abortWhenUnsupported(context);
    Optional<String> unshare = ChildSettings.unshare(context);
    NamespaceProbe.Outcome outcome = cached(context, "namespaces:" + unshare.orElse(""),
        () -> NamespaceProbe.probe(unshare, Syscalls.geteuid() == 0),
        NamespaceProbe.Outcome.class);
    if (outcome instanceof NamespaceProbe.Supported supported) {
      return supported;
    }
    NamespaceProbe.Unsupported unsupported = (NamespaceProbe.Unsupported) outcome;
    if (unsupported.notLinux() || abort) {
      throw new TestAbortedException(unsupported.message());
    }
    throw new IsolationUnavailableException(unsupported.message());
  }

  @SuppressWarnings("unchecked")
  private static List<String> classPath(ExtensionContext context, Class<?> testClass) {
    ClassLoader loader = testClass.getClassLoader();
    return cached(context, "classpath:" + System.identityHashCode(loader),
        () -> dev.isolatedmounts.internal.fork.ChildClassPath.of(System.getProperty("java.class.path", ""), loader),
        List.class);
  }

  /**
   * A value computed once per run, in the root context's store. Not Store.computeIfAbsent: it is
   * new in JUnit 6, and getOrComputeIfAbsent, its JUnit 5 form, is deprecated there; get and put
   * exist in both.
   */
  private static <T> T cached(ExtensionContext context, String key, Supplier<T> compute,
      Class<T> type) {
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    synchronized (IsolatedExecution.class) {
      T value = store.get(key, type);
      if (value == null) {
        value = compute.get();
        store.put(key, value);
      }
      return value;
    }
  }

  /**
   * The id the child's own launcher gives the test: from the last engine segment on, since a
   * suite engine wrapping Jupiter here is not part of the child's run.
   */
  static String childUniqueId(String uniqueId) {
    List<UniqueId.Segment> segments = UniqueId.parse(uniqueId).getSegments();
    int engine = 0;
    for (int i = 0; i < segments.size(); i++) {
      if (segments.get(i).getType().equals("engine")) {
        engine = i;
      }
    }
    UniqueId id = UniqueId.root("engine", segments.get(engine).getValue());
    for (UniqueId.Segment segment : segments.subList(engine + 1, segments.size())) {
      id = id.append(segment);
    }
    return id.toString();
  }
}
