package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.fork.ChildClassPath;
import dev.isolatedmounts.internal.fork.ChildJvmException;
import dev.isolatedmounts.internal.fork.ChildPool;
import dev.isolatedmounts.internal.fork.ChildProcess;
import dev.isolatedmounts.internal.fork.ChildRequest;
import dev.isolatedmounts.internal.fork.LaunchSpec;
import dev.isolatedmounts.internal.fork.NamespaceProbe;
import dev.isolatedmounts.internal.linux.ProcessStatus;
import dev.isolatedmounts.internal.plan.HiddenClassPath;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.PlanReader;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.engine.UniqueId;
import org.opentest4j.TestAbortedException;

/**
 * Runs one isolated test in its own child JVM and ends it here as in-process JUnit would have:
 * returns on success, rethrows the child's exception on failure, aborts on an aborted test.
 * Started before the test method, waited for in its place and ended after it, so that JUnit's
 * timeout on the method, applied here too, times what it times in the child.
 */
public final class IsolatedExecution {

  private static final Namespace NAMESPACE = Namespace.create(IsolatedExecution.class);
  private static final Duration DEBUG_CONNECT_TIMEOUT = Duration.ofDays(1);
  private static final String RUNNING = "running";
  private static final String ENDED = "ended";

  private IsolatedExecution() {}

  /**
   * Starts the test's child, before the test method (from a {@code BeforeTestExecutionCallback}),
   * and waits until the child's test method starts, after its mounts and {@code @BeforeEach}
   * methods: JUnit's timeout on the test method, which applies here too, then times the method,
   * not the child's start. {@link #awaitMethod} and {@link #end} take it from there.
   */
  public static void start(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    // Validated first: a bad declaration fails before any child starts.
    MountPlan declared = Isolation.plan(context).orElseThrow();
    Set<String> suiteKeys = suiteKeys(context, testClass.getClassLoader());
    unknownSettings(context, testClass.getClassLoader(), suiteKeys).ifPresent(problem -> {
      throw new ExtensionConfigurationException(problem);
    });
    // The settings next, for the same reason, and before the probe and the kept files'
    // directory: bad values fail with their own messages, with no child started and no directory
    // for kept files made (a good isolatedmounts.cacheDir is made, as it was asked for).
    cached(context, "settingValues", () -> {
      SettingValues.check(context);
      return Boolean.TRUE;
    }, Boolean.class);
    MountPlan plan = declared.keepingOnFailure(KeptArtifacts.configured(context));
    List<String> declaredJvmOptions =
        PlanReader.jvmArguments(Isolation.classes(context), context.getTestMethod());
    if (plan.readOnlyRoot()) {
      ChildSettings.refuseTmpDirUnderReadOnlyRoot(declaredJvmOptions);
    }
    List<String> chosenJvmOptions = ChildSettings.chosenJvmOptions(context, declaredJvmOptions);
    Optional<Integer> debugPort = ChildSettings.debugPort(context);
    List<String> jvmOptions = new ArrayList<>(ChildSettings.jvmOptions(context, chosenJvmOptions));
    debugPort.ifPresent(port -> jvmOptions.add(ChildSettings.debugAgent(port)));
    // A training JVM started with the debugger agent would wait for a debugger, too.
    Optional<Path> cacheDirectory =
        debugPort.isPresent() ? Optional.empty() : ChildSettings.cacheDirectory(context);
    // A suspended child connects only once someone has attached and resumed it.
    // Nor may its hard limit end a debugging session.
    Duration connectTimeout =
        debugPort.isPresent() ? DEBUG_CONNECT_TIMEOUT : ChildSettings.connectTimeout(context);
    Duration timeout =
        debugPort.isPresent() ? DEBUG_CONNECT_TIMEOUT : ChildSettings.timeout(context);
    // A child waiting for a debugger holds its port: none may be started ahead of its test.
    Optional<SessionPool.Holder> session = SessionPool.of(context);
    Set<String> parameterKeys = new java.util.HashSet<>(suiteKeys);
    session.ifPresent(holder -> parameterKeys.addAll(holder.parameterKeys()));
    Map<String, String> configurationParameters = ChildSettings.configurationParameters(context,
        parameterKeys);
    ChildPool pool = debugPort.isPresent() ? new ChildPool(0) : pool(context, session);
    NamespaceProbe.Supported namespaces = namespaces(context);
    List<String> classPath = classPath(context, testClass);
    HiddenClassPath.of(plan, realClassPath(context, testClass, classPath)).ifPresent(problem -> {
      throw new ExtensionConfigurationException(problem);
    });

    Optional<Path> keep = KeptArtifacts.prepare(plan, context.getUniqueId());
    Map<String, String> systemProperties = new LinkedHashMap<>(
        ChildSettings.systemProperties(chosenJvmOptions));
    keep.ifPresent(directory ->
        systemProperties.put("isolatedmounts.child.keepOnFailure", directory.toString()));
    systemProperties.putAll(InvocationNames.of(context));
    LaunchSpec spec = new LaunchSpec(namespaces, plan.propagation(), plan.readOnlyRoot(),
        plan.trapExit(), classPath, jvmOptions, cacheDirectory);
    ChildRequest request = new ChildRequest(childUniqueId(context.getUniqueId()),
        context.getDisplayName(), plan, systemProperties, configurationParameters,
        connectTimeout, timeout, testClass.getClassLoader(), debugPort.isPresent(),
        () -> ChildSettings.chosenOptionsOrigin(context, declaredJvmOptions));
    debugPort.ifPresent(port -> announceDebugger(context, port));
    int mayCome = session.map(holder -> holder.mayCome(
        WayOfStarting.of(plan, declaredJvmOptions), spec)).orElse(Integer.MAX_VALUE);
    ChildProcess child;
    try {
      child = pool.take(spec, mayCome);
    } catch (IOException e) {
      discard(keep);
      throw new ChildJvmException("Could not start the child JVM of isolated test '"
          + context.getDisplayName() + "': " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      discard(keep); // no thread to start a child on, say: no directory left for it either
      throw e;
    }
    try {
      child = pool.begun(spec, child, taken -> taken.begin(request, context::publishReportEntry,
          file -> PublishedFiles.republish(context, file)));
    } catch (IOException e) {
      discard(keep);
      throw new ChildJvmException("Could not start the child JVM of isolated test '"
          + context.getDisplayName() + "' in place of the one started ahead, which died: "
          + e.getMessage(), e);
    } catch (Throwable t) {
      discard(keep); // the child is closed: it kept nothing, and no empty directory may mislead
      throw t;
    }
    // Kept in the test's store, which closes it should end() not come for it.
    Running running = new Running(child, plan, namespaces, keep);
    context.getStore(NAMESPACE).put(RUNNING, running);
    try {
      child.awaitMethodStart();
    } catch (Throwable t) {
      context.getStore(NAMESPACE).remove(RUNNING);
      running.child().close();
      // A child that exited in a @BeforeEach method may have kept its mounts as it exited.
      keptOrDiscarded(running, t instanceof ChildJvmException ? t : null, context);
      throw t;
    }
  }

  /**
   * In the test method's place, which JUnit's timeout on the method times: waits until the
   * child's test method has returned or thrown. {@link #end} then ends the test.
   */
  public static void awaitMethod(ExtensionContext context) throws Exception {
    Running running = context.getStore(NAMESPACE).get(RUNNING, Running.class);
    if (running == null) {
      if (context.getStore(NAMESPACE).get(ENDED) != null) {
        return; // SEPARATE_THREAD: JUnit's timeout fired, and end() ran, before this thread came
      }
      throw new JUnitException("The isolated test '" + context.getDisplayName() + "' reached its"
          + " test method without a child JVM: JUnit ran no BeforeTestExecutionCallback for it");
    }
    running.child().awaitMethodEnd();
  }

  /**
   * After the test method (from an {@code AfterTestExecutionCallback}): waits for the result of
   * the child {@link #start} started, after its {@code @AfterEach} methods, and ends the test with
   * it: returns on success, rethrows the child's exception on failure, aborts on an aborted test.
   * Does nothing where no child runs (its start failed, and said so).
   */
  public static void end(ExtensionContext context) throws Throwable {
    Running running = context.getStore(NAMESPACE).remove(RUNNING, Running.class);
    if (running == null) {
      return;
    }
    context.getStore(NAMESPACE).put(ENDED, Boolean.TRUE);
    Result result;
    // The child lives only as long as this call; try-with-resources ends it on every path.
    try (ChildProcess child = running.child()) {
      result = child.awaitResult();
    } catch (Throwable t) {
      // A child that exited or was ended before its result may have kept its mounts as it
      // exited (System.exit, a timeout's SIGTERM): its failure says so, as a test's would.
      keptOrDiscarded(running, t instanceof ChildJvmException ? t : null, context);
      throw t;
    }
    keptOrDiscarded(running, result.outcome() == Outcome.FAILED ? result.throwable() : null,
        context);
    finish(result, context.getDisplayName());
  }

  /**
   * A test's child between {@link #start} and {@link #end}, with what ending needs. Closed by the
   * test's store only if {@link #end} never came: then its kept files' directory goes too.
   */
  private record Running(ChildProcess child, MountPlan plan, NamespaceProbe.Supported namespaces,
      Optional<Path> keep) implements AutoCloseable {

    @Override
    public void close() {
      child.close();
      discard(keep);
    }
  }

  /**
   * The launcher session's pool (see {@link SessionPool}), else this execution's own, closed with
   * it.
   */
  private static ChildPool pool(ExtensionContext context, Optional<SessionPool.Holder> session) {
    return session.map(holder -> holder.pool(() -> ChildSettings.poolSize(context)))
        .orElseGet(() -> cached(context, "pool",
            () -> new ChildPool(ChildSettings.poolSize(context)), ChildPool.class));
  }

  private static void discard(Optional<Path> keep) {
    keep.ifPresent(directory -> {
      try {
        KeptArtifacts.discard(directory);
      } catch (IOException e) {
        // best effort: the failure being reported matters more than an empty directory
      }
    });
  }

  /**
   * A failure gets the note on the kept files; any other outcome ({@code failure} null) leaves no
   * directory behind. A problem with the kept files is noted on the failure, or said on stderr.
   */
  private static void keptOrDiscarded(Running running, Throwable failure,
      ExtensionContext context) {
    if (running.keep().isEmpty()) {
      return;
    }
    Path directory = running.keep().get();
    // An interrupt would close the channels reading the kept files; it is kept for the caller.
    boolean interrupted = Thread.interrupted();
    try {
      Optional<KeptMountsNote> kept = failure == null ? Optional.empty()
          : KeptArtifacts.note(directory, running.plan(),
              !running.namespaces().command().userNamespace());
      if (kept.isEmpty()) {
        // Passed, or failed before the child could set up keeping (a mount that failed, say).
        KeptArtifacts.discard(directory);
        return;
      }
      KeptMountsNote note = kept.get();
      noted(failure, context).addSuppressed(note);
      context.publishReportEntry(Map.of("isolatedmounts.kept", note.directory(),
          "isolatedmounts.reproduce", note.command()));
    } catch (IOException e) {
      // The test's own outcome matters more than the kept files: it stays, and says so.
      if (failure != null) {
        noted(failure, context).addSuppressed(new IOException(
            "The kept files of this test could not be noted or removed: " + e.getMessage(), e));
      } else {
        System.err.println("[isolated-mounts] Could not remove the directory for the kept files"
            + " of isolated test '" + context.getDisplayName() + "', " + directory + ": " + e);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Where a note on the kept files goes: where the test method threw (JUnit's timeout: its
   * TimeoutException), that is the test's failure and holds {@code failure} as suppressed, so the
   * note goes where it is seen first.
   */
  private static Throwable noted(Throwable failure, ExtensionContext context) {
    return context.getExecutionException().orElse(failure);
  }

  private static void announceDebugger(ExtensionContext context, int port) {
    System.err.println("[isolated-mounts] The child JVM of isolated test '"
        + context.getDisplayName() + "' waits for a debugger on port " + port + " ("
        + ChildSettings.DEBUG + "=" + port + "): attach with your IDE's remote JVM debug"
        + " configuration (socket attach, host localhost, port " + port + ") or with 'jdb -attach "
        + port + "'.");
    System.err.flush();
  }

  private static void finish(Result result, String displayName) throws Throwable {
    Throwable thrown = result.throwable();
    if (thrown instanceof OutOfMemoryError) {
      // The child's memory ran out, not ours: rethrown as is, JUnit would take it for this JVM's
      // own and end the whole run.
      thrown = new ChildJvmException("The child JVM of isolated test '" + displayName
          + "' ran out of memory: " + thrown, thrown);
    }
    switch (result.outcome()) {
      case SUCCESSFUL -> { }
      case ABORTED -> throw thrown instanceof TestAbortedException aborted ? aborted
          : new TestAbortedException(thrown == null ? "aborted in the child JVM"
              : thrown.toString(), thrown);
      case FAILED -> throw thrown != null ? thrown
          : new JUnitException("The test failed in the child JVM without an exception");
    }
  }

  /**
   * Looked for once per run and suite: the system properties, the class path's file and the
   * launcher's parameters do not change within one, nor a suite's.
   */
  @SuppressWarnings("unchecked")
  private static Optional<String> unknownSettings(ExtensionContext context, ClassLoader loader,
      Set<String> suiteKeys) {
    return cached(context, "unknownSettings:" + suiteKeys, () -> UnknownSettings.find(loader,
        SessionPool.of(context).map(SessionPool.Holder::settingKeys).orElse(Set.of()),
        suiteKeys), Optional.class);
  }

  /** The keys of the suites the test runs in (SuiteParameters), read once per suite. */
  @SuppressWarnings("unchecked")
  private static Set<String> suiteKeys(ExtensionContext context, ClassLoader loader) {
    String uniqueId = context.getUniqueId();
    int end = uniqueId.lastIndexOf("/[suite:");
    if (end < 0) {
      return Set.of();
    }
    String suite = uniqueId.substring(0, uniqueId.indexOf(']', end) + 1);
    return cached(context, "suiteKeys:" + suite, () -> SuiteParameters.keys(suite, loader),
        Set.class);
  }

  private static NamespaceProbe.Supported namespaces(ExtensionContext context) {
    boolean abort = ChildSettings.abortWhenUnsupported(context);
    Optional<String> unshare = ChildSettings.unshare(context);
    NamespaceProbe.Outcome outcome = cached(context, "namespaces:" + unshare.orElse(""),
        () -> NamespaceProbe.probe(unshare, ProcessStatus.effectiveUid() == 0),
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
        () -> ChildClassPath.of(System.getProperty("java.class.path", ""), loader),
        List.class);
  }

  /** The class path's entries with their real paths, looked up once per run (HiddenClassPath). */
  @SuppressWarnings("unchecked")
  private static Map<String, Path> realClassPath(ExtensionContext context, Class<?> testClass,
      List<String> classPath) {
    return cached(context, "classpath-real:" + System.identityHashCode(testClass.getClassLoader()),
        () -> HiddenClassPath.realPaths(classPath), Map.class);
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
