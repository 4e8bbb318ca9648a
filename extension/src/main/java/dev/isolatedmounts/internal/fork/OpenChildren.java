package dev.isolatedmounts.internal.fork;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The children not yet closed, closed should this JVM exit first (Ctrl-C, a build tool's SIGTERM):
 * their processes end with it anyway, but their directories, and the empty directory a writable
 * {@code @Bind}'s source holds for a read-only root, would stay until a later run. Training
 * children are not among them: their own hook lets a training finish (ClassDataSharing).
 */
final class OpenChildren {

  private static final Set<ChildProcess> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();
  /** Set as the JVM exits: a child started after that (a pool's refill) is closed at once. */
  private static boolean closing;

  private OpenChildren() {}

  static void add(ChildProcess child) {
    if (HOOKED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(OpenChildren::closeAll,
            "isolated-mounts-exit"));
      } catch (IllegalStateException exiting) {
        return; // the JVM exits already: the next run removes what is left
      }
    }
    synchronized (OPEN) {
      if (!closing) {
        OPEN.add(child);
        return;
      }
    }
    child.close();
  }

  static void remove(ChildProcess child) {
    OPEN.remove(child);
  }

  private static void closeAll() {
    List<ChildProcess> open;
    synchronized (OPEN) {
      closing = true;
      open = List.copyOf(OPEN);
    }
    // Every tree killed first, then each waited for: one at a time, each could take seconds.
    for (ChildProcess child : open) {
      try {
        child.killTree();
      } catch (RuntimeException | Error e) {
        // closed below, or removed by the next run
      }
    }
    for (ChildProcess child : open) {
      try {
        child.close();
      } catch (RuntimeException | Error e) {
        // the JVM exits: what could not be closed is removed by the next run
      }
    }
  }
}
