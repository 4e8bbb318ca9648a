package dev.isolatedmounts.internal.fork;

import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.PlanReader;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The child that trains a class-data-sharing archive. It is started as every child is, inside
 * its own namespaces, but on the class path's jars alone and with the JVM told to write the
 * classes it loaded to an archive when it exits. It makes the mounts of, and runs, the training
 * test, whose body walks the paths a child's test may take beyond its own, and loads the
 * classes, if any, that children loaded beyond the archive (see {@link LoadedClasses}).
 */
final class TrainingChild {

  static final String MAIN_CLASS = "dev.isolatedmounts.internal.child.TrainingMain";
  static final String TEST_CLASS =
      "dev.isolatedmounts.internal.child.CdsTraining$TrainingTestCase";
  private static final String TEST_METHOD = "train";
  /** Names the file of classes the training test loads; the child package has it too. */
  static final String CLASSES_PROPERTY = "isolatedmounts.child.trainingClasses";
  /** Generous: it trains in the background, and writing the archive at exit takes a while. */
  private static final Duration LIMIT = Duration.ofMinutes(2);

  private TrainingChild() {}

  /**
   * Trains an archive for children started as {@code spec} says.
   *
   * @param format the kind of archive, with the options that write it
   * @param archive where the archive is written
   * @param classes a file of the names of classes to load beyond the test's, if any
   * @param running told of the child once started, so it can be stopped from elsewhere
   * @return why the training failed, or empty if its test passed; the archive is checked apart
   */
  static Optional<String> run(LaunchSpec spec, List<String> jars, ArchiveFormat format,
      Path archive, Optional<Path> classes, Path cacheDirectory,
      Consumer<AutoCloseable> running) throws IOException, InterruptedException {
    Method test;
    try {
      test = Class.forName(TEST_CLASS, false, TrainingChild.class.getClassLoader())
          .getDeclaredMethod(TEST_METHOD);
    } catch (ReflectiveOperationException e) {
      return Optional.of("the training test is not on the class path: " + e);
    }
    MountPlan plan = PlanReader.read(test.getDeclaringClass(), Optional.of(test)).orElseThrow();
    List<String> options = new ArrayList<>(format.compatible(spec.jvmOptions()));
    // A java.io.tmpdir chosen for the children may be a path only their mounts make, and the
    // training child has none of them: its @TempDir would fail there. The archive does not depend
    // on it.
    options.removeIf(option -> JvmOption.property(option).filter("java.io.tmpdir"::equals)
        .isPresent());
    options.add(format.writeOption(archive));
    // The training's own spec has no cache directory (it must not train itself an archive).
    options.addAll(JnaOptions.forChild(Optional.of(cacheDirectory), options));
    LaunchSpec training = new LaunchSpec(spec.namespaces(), plan.propagation(), false, false,
        jars, options, Optional.empty());
    ChildRequest request = new ChildRequest(
        "[engine:junit-jupiter]/[class:" + TEST_CLASS + "]/[method:" + TEST_METHOD + "()]",
        "class-data-sharing training", plan,
        classes.map(file -> Map.of(CLASSES_PROPERTY, file.toString())).orElse(Map.of()),
        Map.of(), LIMIT, LIMIT,
        TrainingChild.class.getClassLoader());
    try (ChildProcess child = ChildProcess.start(training, MAIN_CLASS)) {
      running.accept(child);
      Result result = child.awaitUnattended(request, LIMIT);
      if (result.outcome() == Outcome.SUCCESSFUL) {
        return Optional.empty();
      }
      StringWriter trace = new StringWriter();
      if (result.throwable() != null) {
        result.throwable().printStackTrace(new PrintWriter(trace));
      }
      return Optional.of("the training test ended " + result.outcome() + "\n" + trace);
    } catch (ChildJvmException e) {
      return Optional.of("the training child failed: " + e.getMessage());
    }
  }
}
