package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.fork.ChildPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("A launcher session's pool")
class SessionPoolTests {

  @Test
  @DisplayName("is put into every session's store by the listener JUnit finds in this jar")
  void registeredThroughTheServiceLoader() {
    try (LauncherSession session = LauncherFactory.openSession()) {
      assertThat(holder(session)).isInstanceOf(SessionPool.Holder.class);
    }
  }

  @Test
  @DisplayName("is not there in a session made without the class path's listeners")
  void notWithoutListeners() {
    try (LauncherSession session = LauncherFactory.openSession(LauncherConfig.builder()
        .enableLauncherSessionListenerAutoRegistration(false).build())) {
      assertThat(holder(session)).isNull();
      new SessionPool().launcherSessionOpened(session);
      assertThat(holder(session)).isInstanceOf(SessionPool.Holder.class);
    }
  }

  @Test
  @DisplayName("is made once, for the first test, with that test's size")
  void madeOnce() {
    AtomicInteger asked = new AtomicInteger();
    try (SessionPool.Holder holder = new SessionPool.Holder()) {
      ChildPool first = holder.pool(() -> asked.incrementAndGet());
      assertThat(holder.pool(() -> asked.incrementAndGet())).isSameAs(first);
      assertThat(asked).hasValue(1);
    }
  }

  @Test
  @DisplayName("gives a test that runs after the session closed another pool than the closed one")
  void afterClosing() {
    SessionPool.Holder holder = new SessionPool.Holder();
    ChildPool open = holder.pool(() -> 1);
    holder.close();
    assertThat(holder.pool(() -> 1)).isNotSameAs(open);
  }

  private static Object holder(LauncherSession session) {
    return session.getStore().get(Namespace.create(SessionPool.class), "pool");
  }
}
