package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.fork.ChildPool;
import dev.isolatedmounts.internal.fork.LaunchSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Children started ahead, kept for a whole launcher session rather than one execution of it.
 *
 * <p>Build tools may run one session's tests in several executions: Surefire with
 * {@code forkCount} above one hands its forks one class at a time and executes each on its own,
 * and reruns failed tests in another execution. A pool per execution would start each class's
 * first child cold and end, unused, the child it had started for a next test. Registered as a
 * session listener (by the service loader, as JUnit registers listeners it finds on the class
 * path; hence public), this puts a pool into the session's store when the session opens; the
 * store closes it, ending the children still waiting, when the session closes. Where no session
 * listener ran (JUnit's engine test kit, or a launcher made without them), each execution keeps
 * its own pool, closed with it. It also has the session's launcher tell a {@link PendingTests}
 * of each test plan, so that no child is started for a test that will not come, and a {@link
 * LauncherSettings}, so that the launcher's own parameters are checked for misspelled keys.
 */
public final class SessionPool implements LauncherSessionListener {

  private static final String KEY = "pool";

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Holder holder = new Holder();
    try {
      session.getStore().put(Namespace.create(SessionPool.class), KEY, holder);
    } catch (LinkageError olderJUnit) {
      return; // JUnit before 5.13 has no session store: each execution keeps its own pool
    }
    try {
      session.getLauncher().registerTestExecutionListeners(holder.pending, holder.settings);
    } catch (RuntimeException | LinkageError e) {
      // without them a child is always started ahead, as before, and the launcher's own
      // parameters are not checked
    }
  }

  /** The pool of the session {@code context} runs in, if a session listener gave it one. */
  static Optional<Holder> of(ExtensionContext context) {
    try {
      return Optional.ofNullable(context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION,
          ExtensionContext.Namespace.create(SessionPool.class)).get(KEY, Holder.class));
    } catch (LinkageError olderJUnit) {
      return Optional.empty(); // no store scopes before JUnit 5.13
    }
  }

  /** The session's pool, made by the first isolated test that needs it; closed with the store. */
  static final class Holder implements AutoCloseable {

    /** Told of the session's test plans by its launcher. */
    private final PendingTests pending = new PendingTests(this::trim);
    private final LauncherSettings settings = new LauncherSettings();
    /** Each way children were started for the session's tests, with the tests' ways. */
    private final Map<LaunchSpec, Set<WayOfStarting>> ways = new HashMap<>();
    private ChildPool pool;
    private boolean closed;

    /**
     * The session's pool; {@code size} is read once, for the first test. After the session has
     * closed (a test running past it), a pool that keeps no child is given instead.
     */
    synchronized ChildPool pool(IntSupplier size) {
      if (closed) {
        return new ChildPool(0);
      }
      if (pool == null) {
        pool = new ChildPool(size.getAsInt());
      }
      return pool;
    }

    /**
     * How many isolated tests whose child is started {@code way} may come after those that have
     * started (see PendingTests); {@code spec} is how the pool starts their children.
     */
    int mayCome(WayOfStarting way, LaunchSpec spec) {
      synchronized (this) {
        ways.computeIfAbsent(spec, key -> new HashSet<>()).add(way);
      }
      return pending.mayCome(way);
    }

    /**
     * Ends the children waiting beyond the tests that may still come for them. Tests with other
     * declarations may share a way of starting (their JVM options resolve alike): it keeps as
     * many as may come for all of them.
     */
    private void trim() {
      ChildPool current;
      Map<LaunchSpec, Set<WayOfStarting>> known;
      synchronized (this) {
        if (pool == null || closed) {
          return;
        }
        current = pool;
        known = new HashMap<>();
        ways.forEach((spec, specWays) -> known.put(spec, Set.copyOf(specWays)));
      }
      known.forEach((spec, specWays) -> {
        long mayCome = 0;
        for (WayOfStarting way : specWays) {
          OptionalInt count = pending.mayComeWhileNoneRuns(way);
          if (count.isEmpty()) {
            return; // a test started meanwhile: its child may be among these
          }
          mayCome += count.getAsInt();
        }
        try {
          current.trim(spec, (int) Math.min(mayCome, Integer.MAX_VALUE));
        } catch (RuntimeException e) {
          // an optimization: a child it could not end waits out its limit, as it did before
        }
      });
    }

    /** The {@code isolatedmounts.*} keys of the plan under way (see LauncherSettings). */
    Set<String> settingKeys() {
      return settings.keys();
    }

    /** Every configuration parameter's key of the plan under way (see LauncherSettings). */
    Set<String> parameterKeys() {
      return settings.allKeys();
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (pool != null) {
        pool.close();
      }
    }
  }
}
