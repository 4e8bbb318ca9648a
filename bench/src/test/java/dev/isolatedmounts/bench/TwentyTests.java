package dev.isolatedmounts.bench;

import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Twenty trivial {@code @Test} methods, plain and isolated: the same shape of test as the
 * material project's twenty one-test classes that Surefire runs, so the per-test overheads of the
 * two compare like with like. (The parameterized runs in {@link BenchmarkRun} scale to any
 * number of tests, but each child then also pays for loading JUnit's parameterized-test support.)
 * They also run together with the same twenty in a second class, as one run of forty.
 */
final class TwentyTests {

  static final int COUNT = 20;

  private TwentyTests() {}

  static class PlainTestCase {
    @Test
    void trivial01() {
      BenchmarkRun.work();
    }

    @Test
    void trivial02() {
      BenchmarkRun.work();
    }

    @Test
    void trivial03() {
      BenchmarkRun.work();
    }

    @Test
    void trivial04() {
      BenchmarkRun.work();
    }

    @Test
    void trivial05() {
      BenchmarkRun.work();
    }

    @Test
    void trivial06() {
      BenchmarkRun.work();
    }

    @Test
    void trivial07() {
      BenchmarkRun.work();
    }

    @Test
    void trivial08() {
      BenchmarkRun.work();
    }

    @Test
    void trivial09() {
      BenchmarkRun.work();
    }

    @Test
    void trivial10() {
      BenchmarkRun.work();
    }

    @Test
    void trivial11() {
      BenchmarkRun.work();
    }

    @Test
    void trivial12() {
      BenchmarkRun.work();
    }

    @Test
    void trivial13() {
      BenchmarkRun.work();
    }

    @Test
    void trivial14() {
      BenchmarkRun.work();
    }

    @Test
    void trivial15() {
      BenchmarkRun.work();
    }

    @Test
    void trivial16() {
      BenchmarkRun.work();
    }

    @Test
    void trivial17() {
      BenchmarkRun.work();
    }

    @Test
    void trivial18() {
      BenchmarkRun.work();
    }

    @Test
    void trivial19() {
      BenchmarkRun.work();
    }

    @Test
    void trivial20() {
      BenchmarkRun.work();
    }
  }

  @Tmpfs("/var/lib/isolated-mounts-bench")
  static class IsolatedTestCase {
    private static final Path TARGET = Path.of("/var/lib/isolated-mounts-bench/x");

    @Test
    void trivial01() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial02() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial03() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial04() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial05() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial06() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial07() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial08() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial09() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial10() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial11() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial12() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial13() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial14() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial15() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial16() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial17() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial18() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial19() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }

    @Test
    void trivial20() throws IOException {
      BenchmarkRun.work();
      Files.writeString(TARGET, "x");
    }
  }

  /** The same twenty again, in a class of its own: with the first, a run of forty. */
  static class MorePlainTestCase extends PlainTestCase {
  }

  /** The same twenty again (the class's {@code @Tmpfs} is inherited): a run of forty. */
  static class MoreIsolatedTestCase extends IsolatedTestCase {
  }
}
