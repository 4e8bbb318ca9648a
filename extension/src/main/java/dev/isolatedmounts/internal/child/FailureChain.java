package dev.isolatedmounts.internal.child;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** A failure with everything it holds, for the notes that explain an errno the JDK only words. */
final class FailureChain {

  private FailureChain() {}

  /** The throwable, its causes and suppressed ones, each once. */
  static List<Throwable> of(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> found = new ArrayList<>();
    Deque<Throwable> pending = new ArrayDeque<>();
    if (thrown != null) {
      pending.add(thrown);
    }
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      if (!seen.add(next)) {
        continue;
      }
      found.add(next);
      if (next.getCause() != null) {
        pending.add(next.getCause());
      }
      Collections.addAll(pending, next.getSuppressed());
    }
    return found;
  }

  /**
   * Whether a message in {@code thrown}'s chain holds {@code text}, as strerror words an errno
   * ("No space left on device"); a message the test's own override cannot give counts as none.
   */
  static boolean mentions(Throwable thrown, String text) {
    for (Throwable next : of(thrown)) {
      String message;
      try {
        message = String.valueOf(next.getMessage());
      } catch (RuntimeException e) {
        message = "";
      }
      if (message.contains(text)) {
        return true;
      }
    }
    return false;
  }
}
