package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full case, in a tmpfs of a child's, is in the it module's {@code MountTests}. */
@DisplayName("A failure for want of space names a full tmpfs, and no other")
class FullTmpfsTests {

  @Test
  @DisplayName("a sized tmpfs with room left gets no note: the space ran out elsewhere")
  void roomLeft(@TempDir Path roomy) {
    IOException thrown = new IOException("No space left on device");
    MountPlan plan = new MountPlan(Propagation.PRIVATE,
        List.of(new TmpfsSpec(roomy.toString(), "64k", 0755)));

    FullTmpfs.note(new Result(Outcome.FAILED, thrown), plan);

    assertThat(thrown.getSuppressed()).isEmpty();
  }

  @Test
  @DisplayName("a failure of another kind is not looked at")
  void otherFailure() {
    IOException thrown = new IOException("Read-only file system");
    MountPlan plan = new MountPlan(Propagation.PRIVATE,
        List.of(new TmpfsSpec("/nonexistent/isolated-mounts", "64k", 0755)));

    FullTmpfs.note(new Result(Outcome.FAILED, thrown), plan);
    FullTmpfs.note(new Result(Outcome.ABORTED, new IOException("No space left on device")), plan);

    assertThat(thrown.getSuppressed()).isEmpty();
  }
}
