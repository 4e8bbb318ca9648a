package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.junit.IsolationUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.TestAbortedException;

@DisplayName("A host that cannot create the namespaces gets one clear message")
class EnvironmentTests {

  @Test
  @DisplayName("no unshare: says where it looked and what to install")
  void missing() {
    Fixtures.run(IsolatedTestCase.class, Map.of("isolatedmounts.unshare", "/nonexistent/unshare"))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(IsolationUnavailableException.class), message(m ->
                m.startsWith("isolated-mounts cannot start a child JVM in a new mount namespace")
                    && m.contains("Attempted:\n  - /nonexistent/unshare: not an executable file")
                    && m.contains("To enable it:\n  - correct \"/nonexistent/unshare\", the path"
                        + " of unshare given as the configuration parameter isolatedmounts.unshare"
                        + " (or the doctor's --unshare), or leave it unset to use the one on the"
                        + " PATH\n  - install util-linux 2.3")
                    && m.contains("\nTo check this host step by step, run: java -cp ")
                    && m.contains(" dev.isolatedmounts.Doctor --unshare /nonexistent/unshare\n")
                    && m.endsWith("set the configuration parameter"
                        + " isolatedmounts.unsupported=abort.")))));
  }

  @Test
  @DisplayName("util-linux older than 2.35: names the version found and the one needed")
  void tooOld() throws IOException {
    Fixtures.run(IsolatedTestCase.class,
            Map.of("isolatedmounts.unshare", FakeUnshare.version("2.34").toString()))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(IsolationUnavailableException.class), message(m ->
                m.contains("--version: ok (unshare from util-linux 2.34)")
                    && m.contains("util-linux 2.34 is too old: isolated-mounts needs 2.3")))));
  }

  @Test
  @DisplayName("namespaces refused: lists each command tried with what it said")
  void refused() throws IOException {
    Fixtures.run(IsolatedTestCase.class,
            Map.of("isolatedmounts.unshare", FakeUnshare.refusing().toString()))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(IsolationUnavailableException.class), message(m ->
                m.contains("--mount --pid --fork --kill-child --propagation private true:"
                    + " failed with exit status 1"
                    + " (unshare: unshare failed: Operation not permitted)")
                    && m.contains("To enable it:")))));
  }

  @Test
  @DisplayName("with isolatedmounts.unsupported=abort the test is aborted with the same reason")
  void abort() throws IOException {
    Fixtures.run(IsolatedTestCase.class, Map.of(
            "isolatedmounts.unshare", FakeUnshare.refusing().toString(),
            "isolatedmounts.unsupported", "abort"))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            abortedWithReason(instanceOf(TestAbortedException.class), message(m ->
                m.startsWith("isolated-mounts cannot start a child JVM")))));
  }

  @Test
  @DisplayName("isolatedmounts.unsupported other than fail or abort: says which values work")
  void badUnsupportedValue() {
    Fixtures.run(IsolatedTestCase.class, Map.of("isolatedmounts.unsupported", "skip"))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                "Configuration parameter isolatedmounts.unsupported must be \"fail\" or"
                    + " \"abort\", but was \"skip\""))));
  }

  @Test
  @DisplayName("isolatedmounts.connectTimeout that is no duration: says what one looks like")
  void badConnectTimeout() {
    Fixtures.run(IsolatedTestCase.class, Map.of("isolatedmounts.connectTimeout", "-5s"))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                "Configuration parameter isolatedmounts.connectTimeout must be a positive"
                    + " duration such as \"60s\", \"2m\", \"1h30m\" or \"500ms\" (hours,"
                    + " minutes, seconds and milliseconds, each at most once, in that order),"
                    + " but was \"-5s\""))));
  }

  @Test
  @DisplayName("several settings with bad values: all named in one message, not the first alone")
  void severalBadValues(@TempDir Path temp) throws IOException {
    Path calls = temp.resolve("calls");
    Fixtures.run(IsolatedTestCase.class, Map.of(
            "isolatedmounts.unshare", FakeUnshare.watching(calls).toString(),
            "isolatedmounts.unsupported", "skip",
            "isolatedmounts.pool", "many",
            "isolatedmounts.keepOnFailure", "yes"))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                "3 configuration parameters of isolated-mounts have bad values:"
                    + "\n  - Configuration parameter isolatedmounts.unsupported must be \"fail\""
                    + " or \"abort\", but was \"skip\""
                    + "\n  - Configuration parameter isolatedmounts.pool must be a number of"
                    + " children from 0 (none started ahead) to 64, but was \"many\""
                    + "\n  - Configuration parameter isolatedmounts.keepOnFailure must be"
                    + " \"true\" or \"false\", but was \"yes\""))));
    assertThat(calls).as("unshare was never called").doesNotExist();
  }

  @Test
  @DisplayName("isolatedmounts.jvmArgs with a quote left open: refused before any child starts,"
      + " leaving no directory for kept files")
  void unclosedQuoteInJvmArgs(@TempDir Path temp) throws IOException {
    Path calls = temp.resolve("calls");
    Path kept = Path.of("target", "isolated-mounts",
        IsolatedTestCase.class.getName().replace('$', '_') + ".isolated()");
    Fixtures.run(IsolatedTestCase.class, Map.of(
            "isolatedmounts.unshare", FakeUnshare.watching(calls).toString(),
            "isolatedmounts.keepOnFailure", "true",
            "isolatedmounts.jvmArgs", "-Xmx64m \"-Dgreeting=hello world"))
        .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
            finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m ->
                m.startsWith("Configuration parameter isolatedmounts.jvmArgs has a double quote"
                    + " that is not closed: \"-Xmx64m \"-Dgreeting=hello world\"")))));
    assertThat(calls).as("unshare was never called").doesNotExist();
    assertThat(kept).as("no directory for kept files").doesNotExist();
  }

  /**
   * Through a launcher, as build tools and IDEs run tests (the engine test kit runs no session
   * listener): as Surefire passes its configurationParameters.
   */
  @Test
  @DisplayName("a misspelled isolatedmounts.* parameter given to the launcher, or one with its"
      + " prefix misspelt: named, with the setting meant, before any child starts")
  void misspelledLauncherParameter(@TempDir Path temp) throws IOException {
    Path calls = temp.resolve("calls");
    List<TestExecutionResult> results = new ArrayList<>();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectClass(IsolatedTestCase.class))
        .configurationParameter("isolatedmounts.pol", "1")
        .configurationParameter("isolated-mounts.timeout", "5m")
        .configurationParameter("isolatedmounts.unshare", FakeUnshare.watching(calls).toString())
        .build(), new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest()) {
              results.add(result);
            }
          }
        });

    assertThat(results).singleElement()
        .extracting(result -> result.getThrowable().orElseThrow())
        .isInstanceOf(ExtensionConfigurationException.class)
        .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
        .startsWith("Configuration parameters isolated-mounts.timeout (a configuration"
            + " parameter given to the launcher; did you mean isolatedmounts.timeout?),"
            + " isolatedmounts.pol (a configuration parameter given to the launcher; did you mean"
            + " isolatedmounts.pool?) are not settings of isolated-mounts and would be ignored:"
            + " correct or remove them.");
    assertThat(calls).as("unshare was never called").doesNotExist();
  }

  @Test
  @DisplayName("a misspelled isolatedmounts.* system property: named, with the setting meant,"
      + " before any child starts")
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void misspelledSetting(@TempDir Path temp) throws IOException {
    Path calls = temp.resolve("calls");
    System.setProperty("isolatedmounts.jvmarg", "-Xmx64m");
    try {
      Fixtures.run(IsolatedTestCase.class,
              Map.of("isolatedmounts.unshare", FakeUnshare.watching(calls).toString()))
          .testEvents().assertThatEvents().haveExactly(1, event(test("isolated"),
              finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m ->
                  m.startsWith("Configuration parameter isolatedmounts.jvmarg (a system property;"
                      + " did you mean isolatedmounts.jvmArgs?) is not a setting of"
                      + " isolated-mounts and would be ignored: correct or remove it. The"
                      + " settings are isolatedmounts.cacheDir, ")))));
    } finally {
      System.clearProperty("isolatedmounts.jvmarg");
    }
    assertThat(calls).as("unshare was never called").doesNotExist();
  }

  @IsolatedMounts
  static class IsolatedTestCase {
    @Test
    void isolated() {}
  }
}
