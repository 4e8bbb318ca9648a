package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Propagation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The propagation of / in the child is the one declared")
class PropagationTests {

  @Test
  @DisplayName("PRIVATE, SLAVE, SHARED and UNBINDABLE each show on / in the child's mount table")
  void eachValue() throws IOException {
    System.setProperty("it.host.root", rootPropagation());

    Fixtures.run(PropagationTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("privateRoot("), finishedSuccessfully()))
        .haveExactly(1, event(test("slaveRoot("), finishedSuccessfully()))
        .haveExactly(1, event(test("sharedRoot("), finishedSuccessfully()))
        .haveExactly(1, event(test("unbindableRoot("), finishedSuccessfully()));
    assertThat(rootPropagation()).isEqualTo(System.getProperty("it.host.root"));
  }

  /** The optional fields of the mount at "/": "shared:1", "master:1", "unbindable" or "". */
  static String rootPropagation() throws IOException {
    String fields = "";
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] parts = line.substring(0, line.indexOf(" - ")).split(" ");
      if (parts[4].equals("/")) {
        fields = String.join(" ", java.util.Arrays.copyOfRange(parts, 6, parts.length));
      }
    }
    return fields;
  }

  static class PropagationTestCase {

    @Test
    @IsolatedMounts(propagation = Propagation.PRIVATE)
    void privateRoot() throws IOException {
      assertThat(rootPropagation()).doesNotContain("shared:", "master:", "unbindable");
    }

    @Test
    @IsolatedMounts(propagation = Propagation.SLAVE)
    void slaveRoot() throws IOException {
      // A slave needs a master: only a host whose / is shared gives one.
      if (System.getProperty("it.host.root").contains("shared:")) {
        assertThat(rootPropagation()).contains("master:").doesNotContain("shared:");
      } else {
        assertThat(rootPropagation()).doesNotContain("shared:");
      }
    }

    @Test
    @IsolatedMounts(propagation = Propagation.SHARED)
    void sharedRoot() throws IOException {
      assertThat(rootPropagation()).contains("shared:");
    }

    @Test
    @IsolatedMounts(propagation = Propagation.UNBINDABLE)
    void unbindableRoot() throws IOException {
      assertThat(rootPropagation()).contains("unbindable");
    }
  }
}
