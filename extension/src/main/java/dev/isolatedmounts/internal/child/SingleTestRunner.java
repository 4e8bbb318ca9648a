package dev.isolatedmounts.internal.child;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.isolatedmounts.internal.wire.FileEntryMessage;
import dev.isolatedmounts.internal.wire.Result;
import dev.isolatedmounts.internal.wire.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.TestAbortedException;

/**
 * Runs exactly one test, selected by its unique id, through the JUnit Platform Launcher, so its
 * whole lifecycle (class set-up, construction, extensions, callbacks) runs here, and turns what
 * happened into one result.
 */
final class SingleTestRunner {

  private static final String JUPITER = "junit-jupiter";
  private static final String JUPITER_ENGINE = "org.junit.jupiter.engine.JupiterTestEngine";

  /** The launcher's session: opened ahead, or only for the test when that is not safe. */
  private LauncherSession session;

  private SingleTestRunner(LauncherSession session) {
    this.session = session;
  }

  /**
   * Prepares a runner before the test is known, so a child from the pool does this work while
   * it waits for its test: the launcher is made, and runs a test of this extension's own, which
   * loads and links most of what running the real test needs. Nothing of the user's runs here,
   * before the mounts: the warm-up ignores the class path's JUnit configuration, and if that
   * configuration enables launcher interceptors (user code that wraps the launcher's creation),
   * or Jupiter is missing (a launcher would then load every engine on the class path), the
   * launcher is made only for the test.
   */
  static SingleTestRunner prepare() {
    Optional<TestEngine> jupiter =
        LauncherInterceptors.enabled() ? Optional.empty() : jupiterEngine();
    if (jupiter.isEmpty()) {
      return unprepared();
    }
    SingleTestRunner runner = new SingleTestRunner(jupiterSession(jupiter.get()));
    runner.warmUp(); // what it loaded is the point, not its result
    return runner;
  }

  /** A runner that makes its launcher when it runs. */
  static SingleTestRunner unprepared() {
    return new SingleTestRunner(null);
  }

  Result run(String uniqueId, Map<String, String> configuration,
      Consumer<Map<String, String>> reportEntries, Consumer<FileEntryMessage> files) {
    UniqueId id = UniqueId.parse(uniqueId);
    String engine = id.getEngineId().orElse(JUPITER);
    Listener listener = new Listener(uniqueId, reportEntries, files);
    LauncherSession used = session != null && engine.equals(JUPITER) ? session : open(engine);
    if (session != null && session != used) {
      session.close();
    }
    try {
      used.getLauncher().execute(request(id, engine, configuration, true), listener);
    } finally {
      used.close();
    }
    return listener.result();
  }

  /**
   * Runs {@link WarmUp}'s test the way {@link #run} runs the real one (the same kind of request,
   * filter and listener), so the code the real test's run takes is loaded, linked and partly
   * compiled before it is known; only reading the class path's configuration is left out.
   *
   * @return the warm-up test's result; a failure is not thrown: the real test runs, and reports,
   *     as it would have without a warm-up
   */
  Result warmUp() {
    try {
      UniqueId id = UniqueId.parse(WarmUp.UNIQUE_ID);
      Listener listener = new Listener(WarmUp.UNIQUE_ID, entries -> { }, file -> { });
      session.getLauncher().execute(request(id, JUPITER, Map.of(), false), listener);
      return listener.result();
    } catch (RuntimeException | LinkageError e) {
      return new Result(Outcome.FAILED, e);
    }
  }

  private static LauncherDiscoveryRequest request(UniqueId id, String engine,
      Map<String, String> configuration, boolean implicitConfiguration) {
    return LauncherDiscoveryRequestBuilder.request()
        .selectors(selectUniqueId(id))
        .filters(EngineFilter.includeEngines(engine))
        .configurationParameters(configuration)
        .enableImplicitConfigurationParameters(implicitConfiguration)
        .build();
  }

  private static LauncherSession open(String engine) {
    Optional<TestEngine> jupiter = engine.equals(JUPITER) ? jupiterEngine() : Optional.empty();
    return jupiter.map(SingleTestRunner::jupiterSession).orElseGet(LauncherFactory::openSession);
  }

  private static Optional<TestEngine> jupiterEngine() {
    try {
      return Optional.of((TestEngine) Class.forName(JUPITER_ENGINE).getConstructor()
          .newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * A launcher with only the Jupiter engine, and none of the listeners and filters found on the
   * class path: scanning every jar for them costs each child time, and they belong to the parent,
   * where the results are reported.
   */
  private static LauncherSession jupiterSession(TestEngine jupiter) {
    LauncherConfig config = LauncherConfig.builder()
        .enableTestEngineAutoRegistration(false)
        .enableLauncherSessionListenerAutoRegistration(false)
        .enableLauncherDiscoveryListenerAutoRegistration(false)
        .enableTestExecutionListenerAutoRegistration(false)
        .enablePostDiscoveryFilterAutoRegistration(false)
        .addTestEngines(jupiter)
        .build();
    return WithoutFlightRecorder.unlessRecording(() -> LauncherFactory.openSession(config));
  }

  /** Watches the one test, and the containers above it that can fail or skip it. */
  private static final class Listener implements TestExecutionListener {

    private final String target;
    private final Consumer<Map<String, String>> reportEntries;
    private final Consumer<FileEntryMessage> files;
    private Result result;
    private boolean started;

    Listener(String target, Consumer<Map<String, String>> reportEntries,
        Consumer<FileEntryMessage> files) {
      this.target = target;
      this.reportEntries = reportEntries;
      this.files = files;
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
      started |= identifier.getUniqueId().equals(target);
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
      if (result == null && isTargetOrAbove(identifier)) {
        result = new Result(Outcome.ABORTED, new TestAbortedException(
            "skipped inside the isolated child JVM: " + reason));
      }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult outcome) {
      if (identifier.getUniqueId().equals(target)) {
        result = toResult(outcome);
      } else if (result == null && isTargetOrAbove(identifier)
          && outcome.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        // A failing @BeforeAll or class constructor fails the test it kept from running; a
        // failing @AfterAll fails it too, as in-process JUnit would report it on the class.
        result = toResult(outcome);
      } else if (result != null && isTargetOrAbove(identifier)
          && outcome.getStatus() == TestExecutionResult.Status.FAILED) {
        result = withContainerFailure(result, toResult(outcome));
      }
    }

    /**
     * A container above the test failed after it ({@code @AfterAll}): in-process JUnit reports
     * that on the class, which in the parent skipped it, so it ends the test here. A test that
     * passed or was aborted fails with it (an aborted test and a failed class do not make a
     * green build); a failed test keeps its own failure, the container's attached.
     */
    private static Result withContainerFailure(Result test, Result container) {
      if (test.outcome() != Outcome.FAILED) {
        if (test.throwable() != null && container.throwable() != null) {
          container.throwable().addSuppressed(test.throwable());
        }
        return container;
      }
      if (test.throwable() != null && container.throwable() != null
          && test.throwable() != container.throwable()) {
        test.throwable().addSuppressed(container.throwable());
      }
      return test;
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
      if (isTargetOrAbove(identifier)) {
        reportEntries.accept(entry.getKeyValuePairs());
      }
    }

    @Override
    public void fileEntryPublished(TestIdentifier identifier, FileEntry file) {
      if (isTargetOrAbove(identifier)) {
        Path path = file.getPath().toAbsolutePath();
        files.accept(new FileEntryMessage(path.toString(), file.getMediaType().orElse(null),
            Files.isDirectory(path)));
      }
    }

    private boolean isTargetOrAbove(TestIdentifier identifier) {
      return target.startsWith(identifier.getUniqueId());
    }

    Result result() {
      if (result != null) {
        return result;
      }
      return new Result(Outcome.FAILED, new IsolationException(started
          ? "The test " + target + " started in the child JVM but never finished"
          : "The child JVM could not find the test " + target + " to run it; "
              + (target.contains("/[test-template-invocation:")
                  || target.contains("/[class-template-invocation:")
                  ? "its argument source gave fewer invocations there than in the test run's JVM"
                      + " (the source runs in both: one that reads a mounted path reads the"
                      + " host's in the test run's JVM, and the mount in the child), or the class"
                      + " path differs from the parent's"
                  : "the class path or the test's unique id differs from the parent's")));
    }

    private static Result toResult(TestExecutionResult outcome) {
      Optional<Throwable> throwable = outcome.getThrowable();
      return switch (outcome.getStatus()) {
        case SUCCESSFUL -> new Result(Outcome.SUCCESSFUL, null);
        case ABORTED -> new Result(Outcome.ABORTED, throwable.orElse(null));
        case FAILED -> new Result(Outcome.FAILED, throwable.orElse(null));
      };
    }
  }
}
