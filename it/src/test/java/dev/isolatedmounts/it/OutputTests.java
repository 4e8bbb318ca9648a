package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.IsolatedMounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.OutputDirectoryProvider;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("A child's output and report entries belong to its test")
class OutputTests {

  @Test
  @DisplayName("stdout, stderr and report entries are attributed to the test that made them")
  void attributed() {
    Map<String, StringBuilder> entries = new ConcurrentHashMap<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(PrintingTestCase.class))
        .configurationParameter("junit.platform.output.capture.stdout", "true")
        .configurationParameter("junit.platform.output.capture.stderr", "true")
        .build();

    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        entry.getKeyValuePairs().forEach((key, value) -> entries
            .computeIfAbsent(test.getDisplayName() + "/" + key, k -> new StringBuilder())
            .append(value));
      }
    });

    assertThat(entries).containsKeys("first(TestReporter)/stdout", "first(TestReporter)/stderr", "second()/stdout");
    assertThat(entries.get("first(TestReporter)/stdout")).hasToString("out of first\n");
    assertThat(entries.get("first(TestReporter)/stderr")).hasToString("err of first\n");
    assertThat(entries.get("second()/stdout")).hasToString("out of second\n");
    assertThat(entries.get("second()/stderr")).isNull();
    assertThat(entries.get("first(TestReporter)/answer")).hasToString("42");
  }

  /** More than the parent queues: only replaying it makes room for the rest. */
  @Test
  @DisplayName("a child printing more than the parent queues at once (24 MiB) ends, its output"
      + " replayed")
  void flood() {
    Map<String, Integer> captured = new ConcurrentHashMap<>();
    List<String> results = new CopyOnWriteArrayList<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(FloodingTestCase.class))
        .configurationParameter("junit.platform.output.capture.stdout", "true")
        .configurationParameter("junit.platform.output.capture.maxBuffer", "1024")
        // Held back for good, it would fail on this limit rather than hang for the default's.
        .configurationParameter("isolatedmounts.timeout", "2m")
        .build();

    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        entry.getKeyValuePairs().forEach((key, value) -> captured.merge(key, value.length(),
            Integer::sum));
      }

      @Override
      public void executionFinished(TestIdentifier test,
          org.junit.platform.engine.TestExecutionResult result) {
        if (test.isTest()) {
          results.add(result.getStatus().toString());
        }
      }
    });

    assertThat(results).containsExactly("SUCCESSFUL");
    assertThat(captured).containsKey("stdout");
  }

  @Test
  @DisplayName("files and directories published in the child reach the parent's listeners, in"
      + " the output directory configured for the run")
  void publishedFiles(@TempDir Path output) throws IOException {
    assertPublishedIn(output, requestWithOutputDir(PublishingTestCase.class, output));
  }

  @Test
  @DisplayName("and under a read-only root, which keeps the usual output directory (target/)"
      + " read-only: written in the child's own directory, then copied")
  void publishedFilesUnderAReadOnlyRoot(@TempDir Path output) throws IOException {
    assertPublishedIn(output, requestWithOutputDir(ReadOnlyPublishingTestCase.class, output));
  }

  private static LauncherDiscoveryRequest requestWithOutputDir(Class<?> testCase, Path output) {
    return LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testCase))
        .configurationParameter("junit.platform.reporting.output.dir", output.toString())
        .build();
  }

  @Test
  @DisplayName("and in the parent's own output directory, when its launcher was given one that"
      + " the child does not know (an IDE's, say): copied there")
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void publishedFilesCopied(@TempDir Path output, @TempDir Path childOutput) throws IOException {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(PublishingTestCase.class))
        .outputDirectoryProvider(new OutputDirectoryProvider() {
          @Override
          public Path getRootDirectory() {
            return output;
          }

          @Override
          public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
            return Files.createDirectories(output.resolve(descriptor.getUniqueId().toString()
                .replaceAll("[^A-Za-z0-9.-]", "_")));
          }
        })
        .build();
    System.setProperty("junit.platform.reporting.output.dir", childOutput.toString());
    try {
      assertPublishedIn(output, request);
    } finally {
      System.clearProperty("junit.platform.reporting.output.dir");
    }
    try (Stream<Path> files = Files.walk(childOutput)) {
      assertThat(files.filter(Files::isRegularFile))
          .as("what the child wrote, in its own output directory").hasSize(2);
    }
  }

  private static void assertPublishedIn(Path output, LauncherDiscoveryRequest request)
      throws IOException {
    List<FileEntry> published = new CopyOnWriteArrayList<>();
    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void fileEntryPublished(TestIdentifier test, FileEntry file) {
        published.add(file);
      }
    });
    assertThat(published).hasSize(2);
    FileEntry file = published.get(0);
    assertThat(file.getPath()).startsWith(output).hasFileName("greeting.txt").hasContent("hello");
    assertThat(file.getMediaType()).contains("text/plain; charset=UTF-8");
    Path directory = published.get(1).getPath();
    assertThat(directory).startsWith(output).hasFileName("listing");
    assertThat(directory.resolve("deeper/inside.txt")).hasContent("in");
    assertThat(published.get(1).getMediaType()).isEmpty();
  }

  @IsolatedMounts
  static class PublishingTestCase {
    @Test
    void publishes(TestReporter reporter) {
      reporter.publishFile("greeting.txt", MediaType.TEXT_PLAIN_UTF_8,
          file -> Files.writeString(file, "hello"));
      reporter.publishDirectory("listing", directory -> Files.writeString(
          Files.createDirectory(directory.resolve("deeper")).resolve("inside.txt"), "in"));
    }
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class ReadOnlyPublishingTestCase extends PublishingTestCase {}

  @IsolatedMounts
  static class FloodingTestCase {
    @Test
    void floods() {
      byte[] line = ("x".repeat(1023) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < 24 * 1024; i++) {
        System.out.write(line, 0, line.length);
      }
      System.out.flush();
    }
  }

  @IsolatedMounts
  static class PrintingTestCase {
    @Test
    void first(TestReporter reporter) {
      System.out.println("out of first");
      System.err.println("err of first");
      reporter.publishEntry("answer", "42");
    }

    @Test
    void second() {
      System.out.println("out of second");
    }
  }
}
