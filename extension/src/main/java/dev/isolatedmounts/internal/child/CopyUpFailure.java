package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Explains the one overlay failure users cannot decode by themselves: in a user namespace the
 * kernel cannot copy up a file or directory whose owner the namespace does not map (root's, say),
 * so the write that needed the copy-up fails with EOVERFLOW, "Value too large for defined data
 * type". Spotted after the test, in its failure, because only the test's own write hits it; a scan
 * of the lower directories for unmapped owners beforehand would cost a tree walk per test and
 * warn about files the test never touches.
 */
final class CopyUpFailure {

  /** strerror(EOVERFLOW), which the JDK puts in the message of the exception the write throws. */
  static final String EOVERFLOW_TEXT = "Value too large for defined data type";

  private CopyUpFailure() {}

  /**
   * Returns the result unchanged, or, for a failure caused by EOVERFLOW in a user namespace with
   * overlays, a failure that says why, with the original exception as its cause.
   */
  static Result explain(Result result, MountPlan plan, boolean root) {
    String overlays = plan.mounts().stream().filter(OverlaySpec.class::isInstance)
        .map(m -> m.describe()).collect(Collectors.joining(", "));
    if (root || overlays.isEmpty() || result.outcome() != Outcome.FAILED
        || !mentionsOverflow(result.throwable())) {
      return result;
    }
    return new Result(Outcome.FAILED, new IsolationException("The test failed writing below "
        + overlays + " with EOVERFLOW (" + EOVERFLOW_TEXT + "): in an unprivileged user namespace"
        + " the kernel cannot copy up a file or directory whose owner is not mapped into the"
        + " namespace (it shows as the overflow id, nobody/65534), such as root's files; the"
        + " write needed such a copy-up. Run the tests as root, or copy the fixture the test"
        + " needs into a @Tmpfs (or use a @Bind of a directory you own) instead of the"
        + " overlay", result.throwable()));
  }

  private static boolean mentionsOverflow(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> pending = new ArrayDeque<>();
    if (thrown != null) {
      pending.add(thrown);
    }
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      if (!seen.add(next)) {
        continue;
      }
      String message;
      try {
        message = String.valueOf(next.getMessage());
      } catch (RuntimeException e) {
        message = "";
      }
      if (message.contains(EOVERFLOW_TEXT)) {
        return true;
      }
      if (next.getCause() != null) {
        pending.add(next.getCause());
      }
      Collections.addAll(pending, next.getSuppressed());
    }
    return false;
  }
}
