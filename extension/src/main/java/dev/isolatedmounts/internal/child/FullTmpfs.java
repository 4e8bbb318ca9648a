package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Notes, on a failure that ran out of space, which {@code @Tmpfs} with a size is full: the JDK's
 * "No space left on device" names no path, and the test's own size is the usual cause. Looked at
 * only after a failure that says so, while the mounts are still there: a tmpfs the test emptied
 * again since gets no note.
 */
final class FullTmpfs {

  /** strerror(ENOSPC), which the JDK puts in the message of the exception a write throws. */
  static final String ENOSPC_TEXT = "No space left on device";

  private FullTmpfs() {}

  /** Adds the note to {@code result}'s failure, which keeps its type and message. */
  static void note(Result result, MountPlan plan) {
    if (result.outcome() != Outcome.FAILED || !FailureChain.mentions(result.throwable(), ENOSPC_TEXT)) {
      return;
    }
    for (var spec : plan.mounts()) {
      if (spec instanceof TmpfsSpec tmpfs && !tmpfs.size().isEmpty()) {
        try {
          FileStore store = Files.getFileStore(Path.of(tmpfs.target()));
          long total = store.getTotalSpace();
          long free = store.getUsableSpace();
          // A write tmpfs refused for space leaves less than a page or two of it free.
          if (free < 2 * store.getBlockSize()) {
            result.throwable().addSuppressed(new IsolationException("@Tmpfs(value = \""
                + tmpfs.target() + "\", size = \"" + tmpfs.size() + "\") is full (" + free
                + " of " + total + " bytes free): the test wrote more than its size allows;"
                + " give it a larger size, or leave size out for the kernel's default (half of"
                + " RAM)"));
          }
        } catch (IOException | RuntimeException e) {
          // a note only: the test's own failure goes back as it is
        }
      }
    }
  }
}
