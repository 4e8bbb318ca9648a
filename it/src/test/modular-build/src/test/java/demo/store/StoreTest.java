package demo.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Tmpfs;
import org.junit.jupiter.api.Test;

@IsolatedMounts
class StoreTest {

  @Test
  @Tmpfs("/var/lib/demo-store")
  void putThenGet() throws Exception {
    Store.put("k", "v");
    assertThat(Store.get("k")).isEqualTo("v");
    assertThat(ProcessHandle.current().pid()).as("the child JVM: pid 2 of its namespace")
        .isEqualTo(2);
    assertThat(StoreTest.class.getModule().getName()).as("the test's module, as in the parent")
        .isEqualTo("demo.store");
  }
}
