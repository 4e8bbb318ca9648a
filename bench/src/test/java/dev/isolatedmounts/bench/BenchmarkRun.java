package dev.isolatedmounts.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.Tmpfs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The benchmark: in one run, times 20 trivial {@code @Test} methods plain and isolated (each with
 * a tmpfs), then 40 (the same 20 in two classes, one run, over which what a run pays once is
 * spread thinner), the 20 in an execution each (with the session's pool, and with a pool per
 * execution), N trivial parameterized tests plain and isolated, sequentially and under parallel
 * execution, Surefire running 20 one-test classes with {@code reuseForks=false} against
 * {@code reuseForks=true}, 20 bare JVMs that each run one JUnit test and nothing else (the
 * floor, {@link BareJvm}), and the 20 isolated methods again as the first run of a build (an
 * empty cache, the archive trained meanwhile: {@link FirstRun}); prints the per-test overheads
 * (wall and CPU), their ratios and the child's peak memory, and writes them to
 * {@code target/benchmark.csv} and {@code target/benchmark.md}. Figures only: nothing here
 * asserts a time.
 */
class BenchmarkRun {

  /** Tests per run: {@code -Dbench.tests=200} for the parallel-versus-sequential check at load. */
  static final int N = Integer.getInteger("bench.tests", 20);
  /** The material project's one-test classes. */
  static final int SUREFIRE_CLASSES = 20;
  private static final int WARM_UP = 3;

  @Test
  void measure() throws Exception {
    run(PlainTestCase.class, Map.of());           // warm the parent: class loading, JIT
    run(IsolatedWarmUpTestCase.class, Map.of()); // and the probe, JNA, the first child
    // The archive of the child's classes is trained in the background on a first run and cached
    // under target/: measure the steady state, with it, as every later run of a build has it.
    boolean archived = awaitArchive();
    awaitTrainings(); // one that adds the classes a child loaded beyond the archive, if any

    Measurement plain = time(() -> run(PlainTestCase.class, Map.of()));
    Measurement isolated = time(() -> run(IsolatedTestCase.class, Map.of()));
    double childPeakMib = childPeakMib();
    Measurement plainMethods = time(() -> run(TwentyTests.PlainTestCase.class, Map.of()));
    Measurement isolatedMethods = time(() -> run(TwentyTests.IsolatedTestCase.class, Map.of()));
    Measurement plainForty = time(() -> run(Map.of(), TwentyTests.PlainTestCase.class,
        TwentyTests.MorePlainTestCase.class));
    Measurement isolatedForty = time(() -> run(Map.of(), TwentyTests.IsolatedTestCase.class,
        TwentyTests.MoreIsolatedTestCase.class));
    // As Surefire runs classes with forkCount > 1: one execution per class, in one session,
    // whose pool serves them all, or (the session's listeners left out) a pool per execution.
    // Each twice, in the order A B B A, against drift.
    Measurement perExecutionOneSession = time(() -> oneExecutionPerMethod(true));
    Measurement perExecutionOwnSession = time(() -> oneExecutionPerMethod(false));
    perExecutionOwnSession = perExecutionOwnSession.plus(time(() -> oneExecutionPerMethod(false)));
    perExecutionOneSession = perExecutionOneSession.plus(time(() -> oneExecutionPerMethod(true)));
    Measurement parallel = time(() -> run(IsolatedTestCase.class, Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent",
        "junit.jupiter.execution.parallel.config.strategy", "dynamic")));

    Path material = Path.of("material/pom.xml").toAbsolutePath();
    maven(material, "test-compile"); // compile once, outside both timings
    Measurement reused = time(() -> maven(material, "surefire:test", "-DreuseForks=true"));
    Measurement perClass = time(() -> maven(material, "surefire:test", "-DreuseForks=false"));
    BareJvm bare = BareJvm.prepare(Path.of("target/bare").toAbsolutePath());
    Measurement bareJvms = time(() -> IntStream.range(0, TwentyTests.COUNT)
        .forEach(i -> bare.runOnce()));
    FirstRun firstRun = FirstRun.measure();

    Report report = new Report(N, plain, isolated, parallel, plainMethods, isolatedMethods,
        plainForty, isolatedForty, perExecutionOneSession, perExecutionOwnSession, reused,
        perClass, bareJvms, childPeakMib, archived, firstRun);
    System.out.println();
    System.out.println(report.markdown());
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/benchmark.md"), report.markdown());
    Files.writeString(Path.of("target/benchmark.csv"), report.csv());
  }

  /**
   * The first run of a build, as every CI run from a clean clone is: the cache directory is empty,
   * so the archive of the children's classes is trained in the background while the twenty
   * isolated tests run, and the children started before it is ready go without it. Then the rest
   * of the training, until the archive is in place: its CPU is counted where the training child
   * is reaped, in the run or after it.
   */
  record FirstRun(Measurement run, Measurement restOfTraining, Optional<Duration> archived) {

    static FirstRun measure() throws IOException, InterruptedException {
      Path cache = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "first-run-");
      try {
        Instant start = Instant.now();
        Measurement run = time(() -> BenchmarkRun.run(TwentyTests.IsolatedTestCase.class,
            Map.of("isolatedmounts.cacheDir", cache.toString())));
        List<Optional<Path>> archive = new ArrayList<>();
        Measurement rest = time(() -> archive.add(awaitArchiveFile(cache)));
        // When the JVM wrote it: the training may have ended before the run did.
        Optional<Duration> written = Optional.empty();
        if (archive.get(0).isPresent()) {
          written = Optional.of(Duration.between(start,
              Files.getLastModifiedTime(archive.get(0).get()).toInstant()));
        }
        return new FirstRun(run, rest, written);
      } finally {
        try (var files = Files.walk(cache)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(file);
          }
        }
      }
    }

    /** The archive published in {@code cache} within two minutes, if the training succeeds. */
    private static Optional<Path> awaitArchiveFile(Path cache) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (System.nanoTime() < deadline) {
        try (var files = Files.list(cache)) {
          List<Path> found = files.toList();
          if (found.stream().anyMatch(file -> file.toString().endsWith(".failed.txt"))) {
            return Optional.empty();
          }
          Optional<Path> archive = found.stream()
              .filter(file -> file.getFileName().toString().matches("child-.*\\.(jsa|aot)"))
              .findFirst();
          if (archive.isPresent()) {
            return archive;
          }
          Thread.sleep(50);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
      return Optional.empty();
    }
  }

  /** Whether children start with the archive, waiting up to two minutes for its training. */
  private static boolean awaitArchive() throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (passes(ArchiveProbeTestCase.class)) {
        return true;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  /** Waits, up to two minutes, until no child trains an archive. */
  private static void awaitTrainings() throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline && ProcessHandle.current().descendants()
        .anyMatch(p -> p.info().commandLine().orElse("").contains("child.TrainingMain"))) {
      Thread.sleep(200);
    }
  }

  private static boolean passes(Class<?> testCase) {
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testCase)).build(), summary);
    return summary.getSummary().getTestsSucceededCount() == 1;
  }

  /**
   * The largest peak resident memory that children report from inside (not this JVM's
   * getrusage: that also counts the JVM that trained the archive, which takes more).
   */
  private static double childPeakMib() {
    List<Long> peaksKib = new ArrayList<>();
    run(PeakMemoryTestCase.class, Map.of(), new TestExecutionListener() {
      @Override
      public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        entry.getKeyValuePairs().entrySet().stream()
            .filter(pair -> pair.getKey().equals(PeakMemoryTestCase.KEY))
            .forEach(pair -> peaksKib.add(Long.parseLong(pair.getValue())));
      }
    });
    if (peaksKib.size() != PeakMemoryTestCase.REPETITIONS) {
      throw new IllegalStateException("children reported " + peaksKib.size() + " peaks, not "
          + PeakMemoryTestCase.REPETITIONS);
    }
    return peaksKib.stream().mapToLong(Long::longValue).max().orElseThrow() / 1024.0;
  }

  private static void run(Class<?> testCase, Map<String, String> configuration) {
    run(configuration, new TestExecutionListener() { }, testCase);
  }

  private static void run(Class<?> testCase, Map<String, String> configuration,
      TestExecutionListener listener) {
    run(configuration, listener, testCase);
  }

  /**
   * Runs each of the twenty isolated methods in a launcher execution of its own, all in one
   * launcher session, with the pool kept for the session or (without the session listeners found
   * on the class path, as before the pool was kept for the session) a pool per execution.
   */
  private static void oneExecutionPerMethod(boolean sessionPool) {
    List<Method> methods = Arrays.stream(TwentyTests.IsolatedTestCase.class.getDeclaredMethods())
        .filter(method -> method.isAnnotationPresent(Test.class)).toList();
    if (methods.size() != TwentyTests.COUNT) {
      throw new IllegalStateException("not twenty test methods: " + methods);
    }
    LauncherConfig config = LauncherConfig.builder()
        .enableLauncherSessionListenerAutoRegistration(sessionPool).build();
    try (LauncherSession session = LauncherFactory.openSession(config)) {
      for (Method method : methods) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectMethod(TwentyTests.IsolatedTestCase.class,
                method))
            .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        session.getLauncher().execute(request, summary);
        if (summary.getSummary().getTestsSucceededCount() != 1) {
          throw new IllegalStateException(method + " did not pass: "
              + summary.getSummary().getFailures());
        }
      }
    }
  }

  /** Runs the classes in one launcher execution: one run of isolated tests, one pool. */
  private static void run(Map<String, String> configuration, Class<?>... testCases) {
    run(configuration, new TestExecutionListener() { }, testCases);
  }

  private static void run(Map<String, String> configuration, TestExecutionListener listener,
      Class<?>... testCases) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(Arrays.stream(testCases).map(DiscoverySelectors::selectClass).toList())
        .configurationParameters(configuration).build();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, summary, listener);
    TestExecutionSummary result = summary.getSummary();
    if (result.getTotalFailureCount() > 0 || result.getTestsSucceededCount() == 0) {
      StringBuilder failures = new StringBuilder();
      result.getFailures().forEach(f -> failures.append(f.getException()).append('\n'));
      throw new IllegalStateException(Arrays.toString(testCases) + " did not pass: " + failures);
    }
  }

  private static void maven(Path pom, String... goals) {
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o", "-q", "-Dstyle.color=never",
        "-f", pom.toString(), "-Dmaven.repo.local=" + System.getProperty("bench.maven.repo")));
    command.addAll(List.of(goals));
    try {
      Process process = new ProcessBuilder(command).inheritIO()
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Measurement time(Runnable body) {
    double cpu = Usage.cpuSeconds();
    double self = Usage.selfCpuSeconds();
    double machine = Usage.machineCpuSeconds();
    long start = System.nanoTime();
    body.run();
    return new Measurement((System.nanoTime() - start) / 1e9, Usage.cpuSeconds() - cpu,
        Usage.selfCpuSeconds() - self, Usage.machineCpuSeconds() - machine);
  }

  /**
   * Wall and CPU seconds (this JVM plus its reaped descendants; this JVM alone; the whole
   * machine, busy).
   */
  record Measurement(double wall, double cpu, double parentCpu, double machineCpu) {

    Measurement plus(Measurement other) {
      return new Measurement(wall + other.wall, cpu + other.cpu, parentCpu + other.parentCpu,
          machineCpu + other.machineCpu);
    }
  }

  record Report(int n, Measurement plain, Measurement isolated, Measurement parallel,
      Measurement plainMethods, Measurement isolatedMethods, Measurement plainForty,
      Measurement isolatedForty, Measurement perExecutionOneSession,
      Measurement perExecutionOwnSession, Measurement reused, Measurement perClass,
      Measurement bareJvms, double childPeakMib, boolean archived, FirstRun firstRun) {

    /** Every run of isolated tests, summed: their CPU is checked against the machine's. */
    Measurement isolatedRuns() {
      return isolatedMethods.plus(isolatedForty).plus(perExecutionOneSession)
          .plus(perExecutionOwnSession).plus(isolated).plus(parallel);
    }

    double isolatedWall() {
      return (isolated.wall() - plain.wall()) / n;
    }

    double isolatedCpu() {
      return (isolated.cpu() - plain.cpu()) / n;
    }

    double methodsWall() {
      return (isolatedMethods.wall() - plainMethods.wall()) / TwentyTests.COUNT;
    }

    double methodsCpu() {
      return (isolatedMethods.cpu() - plainMethods.cpu()) / TwentyTests.COUNT;
    }

    double fortyWall() {
      return (isolatedForty.wall() - plainForty.wall()) / (2 * TwentyTests.COUNT);
    }

    double fortyCpu() {
      return (isolatedForty.cpu() - plainForty.cpu()) / (2 * TwentyTests.COUNT);
    }

    double surefireWall() {
      return (perClass.wall() - reused.wall()) / SUREFIRE_CLASSES;
    }

    double surefireCpu() {
      return (perClass.cpu() - reused.cpu()) / SUREFIRE_CLASSES;
    }

    /** The first run of a build, over plain: wall time of the run, CPU with the training's. */
    double firstRunWall() {
      return (firstRun.run().wall() - plainMethods.wall()) / TwentyTests.COUNT;
    }

    double firstRunCpu() {
      return (firstRun.run().cpu() + firstRun.restOfTraining().cpu() - plainMethods.cpu())
          / TwentyTests.COUNT;
    }

    double bareWall() {
      return bareJvms.wall() / TwentyTests.COUNT;
    }

    /** The bare JVMs' own CPU: what this JVM spends starting and waiting for them is left out. */
    double bareCpu() {
      return (bareJvms.cpu() - bareJvms.parentCpu()) / TwentyTests.COUNT;
    }

    String markdown() {
      return String.format(Locale.ROOT, """
          ## isolated-mounts benchmark: %d trivial tests, %d cores, %s %s

          | run | wall s | CPU s |
          |---|---:|---:|
          | %d plain @Test methods | %.3f | %.3f |
          | %d isolated @Test methods (tmpfs each), sequential | %.3f | %.3f |
          | %d plain @Test methods, two classes in one run | %.3f | %.3f |
          | %d isolated @Test methods, two classes in one run, sequential | %.3f | %.3f |
          | %d isolated @Test methods, an execution each, the session's pool, twice | %.3f | %.3f |
          | %d isolated @Test methods, an execution each, a pool each, twice | %.3f | %.3f |
          | %d plain parameterized tests | %.3f | %.3f |
          | %d isolated parameterized tests (tmpfs each), sequential | %.3f | %.3f |
          | %d isolated parameterized tests, JUnit parallel execution | %.3f | %.3f |
          | Surefire, %d one-test classes, reuseForks=true | %.3f | %.3f |
          | Surefire, %d one-test classes, reuseForks=false | %.3f | %.3f |
          | %d bare JVMs, each running one JUnit test, one after another | %.3f | %.3f |
          | %d isolated @Test methods, first run of a build (empty cache) | %.3f | %.3f |
          | the rest of its archive's training, after that run | %.3f | %.3f |

          | overhead per test | wall s | CPU s |
          |---|---:|---:|
          | isolated @Test vs plain @Test, run of %d | %.3f | %.3f |
          | isolated @Test vs plain @Test, run of %d | %.3f | %.3f |
          | isolated parameterized vs plain parameterized, run of %d | %.3f | %.3f |
          | Surefire reuseForks=false vs true, per fork | %.3f | %.3f |
          | ratio (Surefire per fork / isolated @Test, run of %d) | %.1fx | %.1fx |
          | ratio (Surefire per fork / isolated @Test, run of %d) | %.1fx | %.1fx |
          | ratio (Surefire per fork / isolated parameterized) | %.1fx | %.1fx |
          | bare JVM running one JUnit test, each (the floor) | %.3f | %.3f |
          | ratio (isolated @Test, run of %d / bare JVM) | %.2fx | %.2fx |
          | isolated @Test vs plain @Test, first run of %d (CPU with training) | %.3f | %.3f |

          Surefire's per-fork figure is the difference of two runs of the same classes, so what
          a run pays once cancels out of it; what a run of isolated tests pays once (its first
          child starts cold, its last is started for a test that does not come) is spread over
          its tests in the figures above, so it weighs less in a longer run.
          A bare JVM has the children's default options, the same jars and an archive of exactly
          its classes, and does nothing but run its test; it is started after the one before
          ended, so its wall time is a whole JVM's, where an isolated test's overlaps the next
          child's start. Its CPU time is the floor an isolated test's stands on (per JVM, what
          this JVM spent starting and waiting for them is left out).
          Of the isolated parameterized tests' CPU, this (parent) JVM used %.3f s per test.
          Isolated parallel vs sequential: %.2fx the wall time.
          Over all runs of isolated tests, the machine was busy for %.1f CPU seconds, of which
          %.1f s (%.0f%%) are counted above (this JVM and the descendants it reaped); the rest is
          other processes', and whatever the kernel did on no process's behalf.
          Child JVM peak RSS during its test (VmHWM, read inside it, largest of %d): %.0f MiB.
          Children started %s the archive of their classes. The first run of a build has an
          empty cache: the archive is trained in the background while its tests run, and the
          children started before it is in place go without it; %s.
          """, n, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
          System.getProperty("java.version"),
          TwentyTests.COUNT, plainMethods.wall(), plainMethods.cpu(),
          TwentyTests.COUNT, isolatedMethods.wall(), isolatedMethods.cpu(),
          2 * TwentyTests.COUNT, plainForty.wall(), plainForty.cpu(),
          2 * TwentyTests.COUNT, isolatedForty.wall(), isolatedForty.cpu(),
          TwentyTests.COUNT, perExecutionOneSession.wall(), perExecutionOneSession.cpu(),
          TwentyTests.COUNT, perExecutionOwnSession.wall(), perExecutionOwnSession.cpu(),
          n, plain.wall(), plain.cpu(), n, isolated.wall(), isolated.cpu(),
          n, parallel.wall(), parallel.cpu(), SUREFIRE_CLASSES, reused.wall(), reused.cpu(),
          SUREFIRE_CLASSES, perClass.wall(), perClass.cpu(),
          TwentyTests.COUNT, bareJvms.wall(), bareJvms.cpu(),
          TwentyTests.COUNT, firstRun.run().wall(), firstRun.run().cpu(),
          firstRun.restOfTraining().wall(), firstRun.restOfTraining().cpu(),
          TwentyTests.COUNT, methodsWall(), methodsCpu(),
          2 * TwentyTests.COUNT, fortyWall(), fortyCpu(),
          n, isolatedWall(), isolatedCpu(),
          surefireWall(), surefireCpu(),
          TwentyTests.COUNT, surefireWall() / methodsWall(), surefireCpu() / methodsCpu(),
          2 * TwentyTests.COUNT, surefireWall() / fortyWall(), surefireCpu() / fortyCpu(),
          surefireWall() / isolatedWall(), surefireCpu() / isolatedCpu(),
          bareWall(), bareCpu(),
          TwentyTests.COUNT, methodsWall() / bareWall(), methodsCpu() / bareCpu(),
          TwentyTests.COUNT, firstRunWall(), firstRunCpu(),
          (isolated.parentCpu() - plain.parentCpu()) / n,
          parallel.wall() / isolated.wall(), isolatedRuns().machineCpu(), isolatedRuns().cpu(),
          100 * isolatedRuns().cpu() / isolatedRuns().machineCpu(),
          PeakMemoryTestCase.REPETITIONS, childPeakMib,
          archived ? "with"
              : "WITHOUT (its training did not finish in time, or failed: see"
                  + " target/isolated-mounts-cache/*.failed.txt)",
          firstRun.archived()
              .map(written -> String.format(Locale.ROOT,
                  "the archive was written %.1f s after the run began",
                  written.toMillis() / 1000.0))
              .orElse("NO archive was made within two minutes of the run's end")) + goals();
    }

    /** The project's goals for an isolated test, each against this run's figures. */
    String goals() {
      return String.format(Locale.ROOT, """

          | goal (sequential, trivial tests) | @Test, run of %d | @Test, run of %d | parameterized |
          |---|---|---|---|
          | overhead at most 0.10 s wall | %s | %s | %s |
          | overhead at most 0.22 s CPU | %s | %s | %s |
          | at least 4x below a Surefire fork, wall | %s | %s | %s |
          | at least 4x below a Surefire fork, CPU | %s | %s | %s |

          Parallel execution faster than sequential (the goal is for 200 tests, which
          LoadTests runs in test-all.sh; here %d parameterized): %s.
          """, TwentyTests.COUNT, 2 * TwentyTests.COUNT,
          atMost(methodsWall(), 0.10), atMost(fortyWall(), 0.10), atMost(isolatedWall(), 0.10),
          atMost(methodsCpu(), 0.22), atMost(fortyCpu(), 0.22), atMost(isolatedCpu(), 0.22),
          atLeast(surefireWall() / methodsWall(), 4), atLeast(surefireWall() / fortyWall(), 4),
          atLeast(surefireWall() / isolatedWall(), 4),
          atLeast(surefireCpu() / methodsCpu(), 4), atLeast(surefireCpu() / fortyCpu(), 4),
          atLeast(surefireCpu() / isolatedCpu(), 4),
          n, String.format(Locale.ROOT, "%s, %.2fx the wall time",
              parallel.wall() < isolated.wall() ? "met" : "MISSED",
              parallel.wall() / isolated.wall()));
    }

    // One more digit than the tables above, so that a verdict never contradicts its figure
    // (4.0x printed for a 3.96x that missed).
    private static String atMost(double value, double goal) {
      return String.format(Locale.ROOT, value <= goal ? "met, %.4f s" : "MISSED, %.4f s", value);
    }

    private static String atLeast(double ratio, double goal) {
      return String.format(Locale.ROOT, ratio >= goal ? "met, %.2fx" : "MISSED, %.2fx", ratio);
    }

    String csv() {
      return String.format(Locale.ROOT, """
          metric,wall_s,cpu_s
          plain_methods_total,%.4f,%.4f
          isolated_methods_total,%.4f,%.4f
          plain_methods_forty_total,%.4f,%.4f
          isolated_methods_forty_total,%.4f,%.4f
          isolated_methods_execution_each_session_pool_twice_total,%.4f,%.4f
          isolated_methods_execution_each_pool_each_twice_total,%.4f,%.4f
          plain_parameterized_total,%.4f,%.4f
          isolated_parameterized_total,%.4f,%.4f
          isolated_parameterized_parallel_total,%.4f,%.4f
          surefire_reuse_true_total,%.4f,%.4f
          surefire_reuse_false_total,%.4f,%.4f
          bare_jvms_total,%.4f,%.4f
          isolated_method_overhead_per_test,%.4f,%.4f
          isolated_method_overhead_per_test_forty,%.4f,%.4f
          isolated_parameterized_overhead_per_test,%.4f,%.4f
          surefire_overhead_per_fork,%.4f,%.4f
          ratio_surefire_over_isolated_method,%.2f,%.2f
          ratio_surefire_over_isolated_method_forty,%.2f,%.2f
          ratio_surefire_over_isolated_parameterized,%.2f,%.2f
          bare_jvm_per_test,%.4f,%.4f
          ratio_isolated_method_over_bare_jvm,%.2f,%.2f
          isolated_parent_cpu_per_test,,%.4f
          isolated_runs_machine_cpu_total,,%.4f
          isolated_runs_counted_cpu_total,,%.4f
          child_peak_rss_mib,%.0f,
          isolated_methods_first_run_total,%.4f,%.4f
          first_run_rest_of_training_total,%.4f,%.4f
          isolated_method_overhead_per_test_first_run_with_training,%.4f,%.4f
          """, plainMethods.wall(), plainMethods.cpu(), isolatedMethods.wall(),
          isolatedMethods.cpu(), plainForty.wall(), plainForty.cpu(), isolatedForty.wall(),
          isolatedForty.cpu(), perExecutionOneSession.wall(), perExecutionOneSession.cpu(),
          perExecutionOwnSession.wall(), perExecutionOwnSession.cpu(), plain.wall(), plain.cpu(),
          isolated.wall(), isolated.cpu(),
          parallel.wall(), parallel.cpu(), reused.wall(), reused.cpu(), perClass.wall(),
          perClass.cpu(), bareJvms.wall(), bareJvms.cpu(), methodsWall(), methodsCpu(),
          fortyWall(), fortyCpu(), isolatedWall(),
          isolatedCpu(),
          surefireWall(), surefireCpu(), surefireWall() / methodsWall(),
          surefireCpu() / methodsCpu(), surefireWall() / fortyWall(),
          surefireCpu() / fortyCpu(), surefireWall() / isolatedWall(),
          surefireCpu() / isolatedCpu(), bareWall(), bareCpu(), methodsWall() / bareWall(),
          methodsCpu() / bareCpu(), (isolated.parentCpu() - plain.parentCpu()) / n,
          isolatedRuns().machineCpu(), isolatedRuns().cpu(), childPeakMib,
          firstRun.run().wall(), firstRun.run().cpu(), firstRun.restOfTraining().wall(),
          firstRun.restOfTraining().cpu(), firstRunWall(), firstRunCpu());
    }
  }

  static IntStream invocations() {
    return IntStream.range(0, N);
  }

  static class PlainTestCase {
    @ParameterizedTest
    @MethodSource("dev.isolatedmounts.bench.BenchmarkRun#invocations")
    void trivial(int i) {
      work();
    }
  }

  @Tmpfs("/var/lib/isolated-mounts-bench")
  static class IsolatedTestCase {
    @ParameterizedTest
    @MethodSource("dev.isolatedmounts.bench.BenchmarkRun#invocations")
    void trivial(int i) throws IOException {
      work();
      Files.writeString(Path.of("/var/lib/isolated-mounts-bench/x"), "x");
    }
  }

  /**
   * Passes in a child started with the archive of the children's classes. It reads the command
   * line, and the argument file the options are in, from /proc and the file system, not through
   * the JDK's management beans: those are some fifty classes the archive lacks, and a child that
   * loads them has the archive trained again to hold them.
   */
  @Tmpfs("/var/lib/isolated-mounts-bench")
  static class ArchiveProbeTestCase {
    @Test
    void archived() throws IOException {
      List<String> arguments = new ArrayList<>();
      for (String argument : Files.readString(Path.of("/proc/self/cmdline")).split("\0")) {
        arguments.add(argument);
        if (argument.startsWith("@")) {
          arguments.addAll(Files.readAllLines(Path.of(argument.substring(1))));
        }
      }
      if (arguments.stream().noneMatch(a -> a.contains("-XX:SharedArchiveFile=")
          || a.contains("-XX:AOTCache="))) {
        throw new AssertionError("no archive yet: " + arguments);
      }
    }
  }

  /** Reports, from inside each child, its peak resident memory so far (VmHWM, in KiB). */
  @Tmpfs("/var/lib/isolated-mounts-bench")
  static class PeakMemoryTestCase {
    static final String KEY = "child.vmhwm.kib";
    static final int REPETITIONS = 5;

    @RepeatedTest(REPETITIONS)
    void peak(TestReporter reporter) throws IOException {
      work();
      Files.writeString(Path.of("/var/lib/isolated-mounts-bench/x"), "x");
      String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(status -> status.startsWith("VmHWM:")).findFirst().orElseThrow();
      reporter.publishEntry(KEY, line.replaceAll("[^0-9]", ""));
    }
  }

  @Tmpfs("/var/lib/isolated-mounts-bench")
  static class IsolatedWarmUpTestCase {
    @RepeatedTest(WARM_UP)
    void trivial() {
      work();
    }
  }

  static void work() {
    if (System.nanoTime() == 0) {
      throw new AssertionError();
    }
  }
}
