package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.IsolatedMounts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs a real Maven build of a copy of sample-project, with extra test classes of every outcome,
 * as a newcomer would ({@code mvn verify}), and reads the Surefire XML reports and the JaCoCo
 * report (the sample project measures coverage with jacoco-maven-plugin) it writes.
 *
 * <p>The copy resolves the extension by its coordinates, as {@link NestedMavenBuild} arranges.
 */
@Tag("maven-build")
@DisplayName("A real Maven build's Surefire and JaCoCo reports")
class MavenReportTests {

  private static final Path ROOT = NestedMavenBuild.ROOT;
  private static final Path WORK = ROOT.resolve("it/target/maven-report-build");

  private static BuildResult build;

  @BeforeAll
  static void runMaven() throws Exception {
    Path project = WORK.resolve("project");
    NestedMavenBuild.deleteRecursively(project);
    NestedMavenBuild.copyTree(ROOT.resolve("sample-project"), project.resolve("sample-project"));
    Files.copy(ROOT.resolve("pom.xml"), project.resolve("pom.xml"));
    Path testSources = project.resolve("sample-project/src/test/java/dev/isolatedmounts/sample/kvstore");
    try (Stream<Path> extra = Files.list(ROOT.resolve("it/src/test/nested-build"))) {
      for (Path source : extra.toList()) {
        Files.copy(source, testSources.resolve(source.getFileName()));
      }
    }
    // The same tests once more as an integration test, for Failsafe's reports.
    Files.writeString(testSources.resolve("ReportedIT.java"),
        Files.readString(testSources.resolve("ReportedTest.java"))
            .replace("class ReportedTest", "class ReportedIT"));
    Path pom = project.resolve("sample-project/pom.xml");
    Files.writeString(pom, Files.readString(pom).replaceFirst("<build>\\s*<plugins>", """
        <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-failsafe-plugin</artifactId>
                <executions>
                  <execution>
                    <goals>
                      <goal>integration-test</goal>
                      <goal>verify</goal>
                    </goals>
                  </execution>
                </executions>
              </plugin>"""));
    NestedMavenBuild.Result result = NestedMavenBuild.verify(WORK, pom,
        "-Dmaven.test.failure.ignore=true");
    build = new BuildResult(result.status(), result.log(),
        project.resolve("sample-project/target/surefire-reports"));
    int status = result.status();
    assertThat(status).as("mvn exit status; its log:\n%s", build.log()).isZero();
  }

  @Nested
  @DisplayName("for the sample project's own tests")
  class SampleProject {

    @Test
    @DisplayName("every isolated test has its own passing test case with a time")
    void kvStoreTest() throws Exception {
      Map<String, Element> cases = testCases("dev.isolatedmounts.sample.kvstore.KvStoreTest");

      assertThat(cases).containsKeys("startsFromConfig", "putThenGet", "tmpfsMode",
          "freshTmpfsPerInvocation(int)[1]", "freshTmpfsPerInvocation(int)[3]",
          "inheritsMounts", "reopenSeesStoredValues");
      assertThat(cases.values()).allSatisfy(testCase -> {
        assertThat(Double.parseDouble(testCase.getAttribute("time"))).isPositive();
        assertThat(testCase.getElementsByTagName("failure").getLength()).isZero();
        assertThat(testCase.getElementsByTagName("error").getLength()).isZero();
        assertThat(testCase.getElementsByTagName("skipped").getLength()).isZero();
      });
    }

    @Test
    @DisplayName("Maven's summary counts every test of the sample project")
    void summary() throws Exception {
      int reported = 0;
      try (Stream<Path> reports = Files.list(build.reports())) {
        for (Path report : reports.filter(p -> p.getFileName().toString().startsWith("TEST-"))
            .toList()) {
          String name = report.getFileName().toString();
          reported += testCases(name.substring(5, name.length() - 4)).size();
        }
      }
      // The sample project's tests, ReportedTest's 5, NestedPlainTest's and NestedIsolatedTest's 3
      assertThat(reported).isGreaterThan(50);
      assertThat(build.log())
          .contains("Tests run: " + reported + ", Failures: 1, Errors: 1, Skipped: 1");
    }
  }

  @Nested
  @DisplayName("for isolated tests of each outcome")
  class Outcomes {

    @Test
    @DisplayName("a passing test has its own stdout and stderr, not its neighbours'")
    void output() throws Exception {
      Element passing = testCases(REPORTED).get("printsAndPasses(TestReporter)");

      assertThat(text(passing, "system-out")).contains("stdout of printsAndPasses")
          .doesNotContain("stdout of failsWithValues", "stdout of nestedPasses");
      assertThat(text(passing, "system-err")).contains("stderr of printsAndPasses")
          .doesNotContain("stderr of throwsIo");
    }

    @Test
    @DisplayName("a failed assertion is a failure with its message, type and the child's stack trace")
    void failure() throws Exception {
      Element failing = testCases(REPORTED).get("failsWithValues");
      Element failure = (Element) failing.getElementsByTagName("failure").item(0);

      assertThat(failure).as("<failure> of failsWithValues").isNotNull();
      assertThat(failure.getAttribute("type")).isEqualTo("org.opentest4j.AssertionFailedError");
      assertThat(failure.getAttribute("message"))
          .isEqualTo("the answer ==> expected: <42> but was: <41>");
      assertThat(failure.getTextContent())
          .contains("at dev.isolatedmounts.sample.kvstore.ReportedTest.failsWithValues(");
      assertThat(text(failing, "system-out")).contains("stdout of failsWithValues");
    }

    @Test
    @DisplayName("an exception is an error with its type and message")
    void error() throws Exception {
      Element throwing = testCases(REPORTED).get("throwsIo");
      Element error = (Element) throwing.getElementsByTagName("error").item(0);

      assertThat(error).as("<error> of throwsIo").isNotNull();
      assertThat(error.getAttribute("type")).isEqualTo("java.io.IOException");
      assertThat(error.getAttribute("message")).isEqualTo("disk on fire");
      assertThat(text(throwing, "system-err")).contains("stderr of throwsIo");
    }

    @Test
    @DisplayName("an assumption that fails is a skipped test with its reason")
    void skipped() throws Exception {
      Element aborted = testCases(REPORTED).get("isAborted");
      Element skipped = (Element) aborted.getElementsByTagName("skipped").item(0);

      assertThat(skipped).as("<skipped> of isAborted").isNotNull();
      assertThat(skipped.getAttribute("type")).isEqualTo("org.opentest4j.TestAbortedException");
      assertThat(skipped.getTextContent()).contains("Assumption failed: not on this host");
    }

    @Test
    @DisplayName("a test of a @Nested class is reported in its top-level class's file")
    void nested() throws Exception {
      Map<String, Element> cases = testCases(REPORTED);

      assertThat(cases).containsKey("nestedPasses");
      assertThat(cases.get("nestedPasses").getAttribute("classname"))
          .isEqualTo(PACKAGE + "ReportedTest$Inner");
      assertThat(text(cases.get("nestedPasses"), "system-out")).contains("stdout of nestedPasses");
    }
  }

  @Nested
  @DisplayName("for the same isolated tests run by Failsafe")
  class Failsafe {

    @Test
    @DisplayName("each has its own result, time, failure or error, and its own output")
    void reports() throws Exception {
      Map<String, Element> cases = testCases(failsafeReport(REPORTED_IT));
      Element failure = (Element) cases.get("failsWithValues").getElementsByTagName("failure")
          .item(0);
      Element error = (Element) cases.get("throwsIo").getElementsByTagName("error").item(0);

      assertThat(cases).containsKeys("printsAndPasses(TestReporter)", "failsWithValues",
          "throwsIo", "isAborted", "nestedPasses");
      // Failsafe, like Surefire, reports a skipped test with no time.
      assertThat(cases.values()).filteredOn(testCase -> !testCase.getAttribute("name")
              .equals("isAborted"))
          .allSatisfy(testCase ->
              assertThat(Double.parseDouble(testCase.getAttribute("time"))).isPositive());
      assertThat(text(cases.get("printsAndPasses(TestReporter)"), "system-out"))
          .contains("stdout of printsAndPasses").doesNotContain("stdout of failsWithValues");
      assertThat(failure.getAttribute("type")).isEqualTo("org.opentest4j.AssertionFailedError");
      assertThat(failure.getAttribute("message"))
          .isEqualTo("the answer ==> expected: <42> but was: <41>");
      assertThat(failure.getTextContent())
          .contains("at dev.isolatedmounts.sample.kvstore.ReportedIT.failsWithValues(");
      assertThat(error.getAttribute("type")).isEqualTo("java.io.IOException");
      assertThat(cases.get("isAborted").getElementsByTagName("skipped").getLength()).isOne();
    }
  }

  @Nested
  @DisplayName("for a class with @Nested classes")
  class NestedClasses {

    /**
     * How Surefire counts @Nested classes has changed between its versions (3.5 wrote tests="0" on
     * the top-level class and counted its tests in the console line of the last @Nested class;
     * 3.6 counts them all under the top-level class): whatever it does, an isolated class must be
     * reported as a plain class of the same shape is.
     */
    @Test
    @DisplayName("an isolated class is counted exactly like a plain class of the same shape")
    void countedLikePlain() throws Exception {
      String plain = PACKAGE + "NestedPlainTest";
      String isolated = PACKAGE + "NestedIsolatedTest";

      assertThat(testCases(isolated).keySet()).containsExactlyElementsOf(testCases(plain).keySet())
          .containsExactlyInAnyOrder("first", "second", "third");
      assertThat(suite(isolated).getAttribute("tests"))
          .isEqualTo(suite(plain).getAttribute("tests"));
      assertThat(suite(isolated).getAttribute("tests"))
          .as("Surefire 3.6 counts a class's @Nested tests under it").isEqualTo("3");
      assertThat(consoleCounts(isolated)).isEqualTo(consoleCounts(plain));
    }
  }

  @Nested
  @DisplayName("for coverage")
  class Coverage {

    @Test
    @DisplayName("every child JVM appended its own session to the parent's jacoco.exec")
    void sessionPerChild() throws Exception {
      int isolatedTests = 0;
      try (Stream<Path> reports = Files.list(build.reports())) {
        for (Path report : reports.filter(p -> p.getFileName().toString().startsWith("TEST-"))
            .toList()) {
          String name = report.getFileName().toString();
          if (!name.endsWith("KeyValidationTest.xml") && !name.endsWith("NestedPlainTest.xml")) {
            isolatedTests += testCases(name.substring(5, name.length() - 4)).size();
          }
        }
      }
      int failsafeIsolatedTests = testCases(failsafeReport(REPORTED_IT)).size();
      String sessions = Files.readString(jacoco().resolve("jacoco-sessions.html"));

      assertThat(isolatedTests).isGreaterThan(20);
      // one session per JVM: Surefire's and Failsafe's, and one child per isolated test of each
      assertThat(sessions.split("class=\"el_session\">vm-", -1))
          .hasSize(1 + 2 + isolatedTests + failsafeIsolatedTests);
    }

    @Test
    @DisplayName("code run only inside isolated tests is covered")
    void coveredInChildren() throws Exception {
      // KvStore.openDefault() reads /etc/kvstore: only isolated tests call it.
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // jacoco.xml names a report.dtd that is not written next to it
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      Document report = factory.newDocumentBuilder().parse(jacoco().resolve("jacoco.xml").toFile());
      NodeList classes = report.getElementsByTagName("class");
      Element openDefault = null;
      for (int i = 0; i < classes.getLength(); i++) {
        Element type = (Element) classes.item(i);
        if (type.getAttribute("name").equals("dev/isolatedmounts/sample/kvstore/KvStore")) {
          NodeList methods = type.getElementsByTagName("method");
          for (int j = 0; j < methods.getLength(); j++) {
            Element method = (Element) methods.item(j);
            if (method.getAttribute("name").equals("openDefault")) {
              openDefault = method;
            }
          }
        }
      }

      assertThat(openDefault).as("KvStore.openDefault in jacoco.xml").isNotNull();
      Element lines = counter(openDefault, "LINE");
      assertThat(lines.getAttribute("missed")).isEqualTo("0");
      assertThat(Integer.parseInt(lines.getAttribute("covered"))).isPositive();
    }

    private Path jacoco() {
      return build.reports().resolveSibling("site/jacoco");
    }

    private Element counter(Element method, String type) {
      NodeList counters = method.getElementsByTagName("counter");
      for (int i = 0; i < counters.getLength(); i++) {
        Element counter = (Element) counters.item(i);
        if (counter.getAttribute("type").equals(type)) {
          return counter;
        }
      }
      throw new AssertionError("no " + type + " counter in " + method.getAttribute("name"));
    }
  }

  private static final String PACKAGE = "dev.isolatedmounts.sample.kvstore.";
  private static final String REPORTED = PACKAGE + "ReportedTest";
  private static final String REPORTED_IT = PACKAGE + "ReportedIT";

  private static Element suite(String testClass) throws Exception {
    return report(testClass).getDocumentElement();
  }

  /** The "Tests run: ..." lines Maven printed between starting this class and the next one. */
  private static List<String> consoleCounts(String testClass) {
    List<String> counts = new ArrayList<>();
    boolean inClass = false;
    for (String line : build.log().lines().toList()) {
      if (line.startsWith("[INFO] Running ")) {
        inClass = line.equals("[INFO] Running " + testClass)
            || line.startsWith("[INFO] Running " + testClass + "$");
      } else if (inClass && line.contains("Tests run:")) {
        counts.add(line.replaceAll("Time elapsed: [0-9.]+ s", "")
            .replace(testClass, "<class>").replace("[ERROR]", "[INFO]"));
      }
    }
    return counts;
  }

  /** The test cases of one Surefire report file, by name. */
  private static Map<String, Element> testCases(String testClass) throws Exception {
    return testCases(report(testClass));
  }

  private static Map<String, Element> testCases(Document report) {
    NodeList nodes = report.getElementsByTagName("testcase");
    Map<String, Element> cases = new LinkedHashMap<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element testCase = (Element) nodes.item(i);
      cases.put(testCase.getAttribute("name"), testCase);
    }
    return cases;
  }

  private static Document report(String testClass) throws Exception {
    Path file = build.reports().resolve("TEST-" + testClass + ".xml");
    assertThat(file).as("report of %s; Maven's log:\n%s", testClass, build.log()).exists();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static Document failsafeReport(String testClass) throws Exception {
    Path file = build.reports().resolveSibling("failsafe-reports")
        .resolve("TEST-" + testClass + ".xml");
    assertThat(file).as("Failsafe report of %s; Maven's log:\n%s", testClass, build.log())
        .exists();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static String text(Element testCase, String tag) {
    NodeList nodes = testCase.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
  }

  private record BuildResult(int status, String log, Path reports) {}
}
