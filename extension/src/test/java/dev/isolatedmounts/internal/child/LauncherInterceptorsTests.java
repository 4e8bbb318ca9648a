package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Launcher interceptors (user code) keep a child from making its launcher early")
class LauncherInterceptorsTests {

  private final ClassLoader original = Thread.currentThread().getContextClassLoader();

  @AfterEach
  void restore() {
    System.clearProperty(LauncherInterceptors.ENABLED);
    Thread.currentThread().setContextClassLoader(original);
  }

  @Test
  @DisplayName("they are off unless enabled")
  void offByDefault() {
    assertThat(LauncherInterceptors.enabled()).isFalse();
  }

  @Test
  @DisplayName("a system property enables them, or keeps them off")
  void systemProperty() {
    System.setProperty(LauncherInterceptors.ENABLED, " true ");
    assertThat(LauncherInterceptors.enabled()).isTrue();
    System.setProperty(LauncherInterceptors.ENABLED, "false");
    assertThat(LauncherInterceptors.enabled()).isFalse();
  }

  @Test
  @DisplayName("junit-platform.properties on the class path enables them")
  void propertiesFile(@TempDir Path classes) throws IOException {
    Files.writeString(classes.resolve("junit-platform.properties"),
        "# the user's\n" + LauncherInterceptors.ENABLED + " = true\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        original)) {
      Thread.currentThread().setContextClassLoader(loader);
      assertThat(LauncherInterceptors.enabled()).isTrue();
    }
  }
}
