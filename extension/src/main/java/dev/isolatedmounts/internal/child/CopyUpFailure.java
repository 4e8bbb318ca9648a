package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Explains the overlay failures users cannot decode by themselves: in a user namespace the
 * kernel cannot copy up a file or directory whose owner the namespace does not map (root's, say),
 * so the write that needed the copy-up fails with EOVERFLOW, "Value too large for defined data
 * type". Spotted after the test, in its failure, because only the test's own write hits it; a scan
 * of the lower directories for unmapped owners beforehand would cost a tree walk per test and
 * warn about files the test never touches. A write denied below an overlay gets a note too.
 */
final class CopyUpFailure {

  /** strerror(EOVERFLOW), which the JDK puts in the message of the exception the write throws. */
  static final String EOVERFLOW_TEXT = "Value too large for defined data type";

  /** The id a user namespace shows for owners it does not map (the kernel's default). */
  private static final int OVERFLOW_ID = 65534;

  private CopyUpFailure() {}

  /**
   * Returns the result unchanged, or, for a failure caused by EOVERFLOW in a user namespace with
   * overlays, a failure that says why, with the original exception as its cause.
   */
  static Result explain(Result result, MountPlan plan, boolean root) {
    String overlays = plan.mounts().stream().filter(OverlaySpec.class::isInstance)
        .map(m -> m.describe()).collect(Collectors.joining(", "));
    if (root || overlays.isEmpty() || result.outcome() != Outcome.FAILED) {
      return result;
    }
    if (!FailureChain.mentions(result.throwable(), EOVERFLOW_TEXT)) {
      noteDenied(result.throwable(), plan);
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

  /**
   * Adds a note to a failure that a write below an overlay was denied: unprivileged, the test is
   * not root, and the overlay keeps each file's owner and mode, which surprises where the same
   * test passes as root (only the overlay's top directory, a layer of the child's, is the
   * user's). The failure keeps its type.
   */
  private static void noteDenied(Throwable thrown, MountPlan plan) {
    for (Throwable next : FailureChain.of(thrown)) {
      if (next instanceof AccessDeniedException denied && denied.getFile() != null) {
        Path file;
        try {
          file = Path.of(denied.getFile()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
          continue; // a name no path can hold: not one below a mount of the plan
        }
        // The innermost mount holding the file: a bind or tmpfs below an overlay is no overlay.
        Optional<MountSpec> overlay = plan.mounts().stream()
            .filter(spec -> file.startsWith(spec.target()))
            .max(Comparator.comparingInt(spec -> Path.of(spec.target()).getNameCount()))
            .filter(OverlaySpec.class::isInstance);
        if (overlay.isPresent()) {
          int uid = Syscalls.geteuid();
          thrown.addSuppressed(new IsolationException("Access to " + file + " below "
              + overlay.get().describe() + " was denied: an overlay shows each file with its"
              + " owner and mode, and this test runs as uid " + uid + " in an"
              + " unprivileged user namespace, so what it may not write on the host (root's"
              + " files, owned there by the overflow id, nobody/65534" + (uid == OVERFLOW_ID
                  ? ": the same number as this user's, but not this user's files" : "")
              + ") it may not write below the overlay either; only the overlay's top directory"
              + " is its own. Run the tests as root, or copy the fixture the test needs into a"
              + " @Tmpfs"));
          return;
        }
      }
    }
  }
}
