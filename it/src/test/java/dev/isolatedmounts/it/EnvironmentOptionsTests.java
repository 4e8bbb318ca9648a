package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.fork.ChildClassPath;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A CI that sets JAVA_TOOL_OPTIONS (a coverage agent, a collector) gives them to the test run's
 * JVM: its children must run with them once, not twice, and with nothing they would clash with.
 */
@DisplayName("Options from the environment (JAVA_TOOL_OPTIONS) reach a child once")
class EnvironmentOptionsTests {

  @Test
  @DisplayName("an agent there is loaded once in the child, a collector there replaces the"
      + " default one, and the child's tests see no such variable")
  void once(@TempDir Path temp) throws Exception {
    Path agent = agentJar(temp.resolve("counting-agent.jar"));
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Disolatedmounts.cacheDir=" + temp.resolve("cache"),
        "-cp", String.join(File.pathSeparator, ChildClassPath.of(
            System.getProperty("java.class.path"),
            EnvironmentOptionsTests.class.getClassLoader())),
        Driver.class.getName()).redirectErrorStream(true);
    builder.environment().put("JAVA_TOOL_OPTIONS",
        "-javaagent:" + agent + " -XX:+UseG1GC -Dit.from.environment=yes");
    Process parent = builder.start();
    parent.getOutputStream().close();
    String printed = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(parent.waitFor()).as(printed).isZero();
    assertThat(printed.lines().filter(line -> line.matches("(CHILD|RESULT|PARENT) .*")))
        .as(printed).containsExactly(
            "CHILD premains=1 collector=G1 Young Generation property=yes variable=null",
            "RESULT SUCCESSFUL", "PARENT premains=1");
  }

  /** A jar that names the agent, whose class the class path has. */
  private static Path agentJar(Path file) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"),
        CountingAgent.class.getName());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    return file;
  }

  /** A test run's JVM, as a build tool's: prints what its child said, then its own count. */
  static final class Driver {
    public static void main(String[] args) {
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(ReportingTestCase.class)).build(), new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
              System.out.println("CHILD " + entry.getKeyValuePairs().get("seen"));
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
              if (test.isTest()) {
                System.out.println("RESULT " + result.getStatus()
                    + result.getThrowable().map(t -> " " + t).orElse(""));
              }
            }
          });
      System.out.println("PARENT premains=" + CountingAgent.PREMAINS.get());
      System.out.flush();
      System.exit(0);
    }
  }

  @IsolatedMounts
  static class ReportingTestCase {
    @Test
    void reports(TestReporter reporter) {
      reporter.publishEntry(Map.of("seen", "premains=" + CountingAgent.PREMAINS.get()
          + " collector=" + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName()
          + " property=" + System.getProperty("it.from.environment")
          + " variable=" + System.getenv("JAVA_TOOL_OPTIONS")));
    }
  }
}
