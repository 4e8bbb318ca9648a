package dev.isolatedmounts.internal.child;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Properties;

/**
 * Whether JUnit will load launcher interceptors: classes of the user's, found through the
 * service loader, that wrap the launcher's creation. JUnit enables them through a system property
 * or the class path's {@code junit-platform.properties}, which are read here the same way.
 */
final class LauncherInterceptors {

  static final String ENABLED = "junit.platform.launcher.interceptors.enabled";

  private LauncherInterceptors() {}

  static boolean enabled() {
    String property = System.getProperty(ENABLED);
    if (property != null) {
      return Boolean.parseBoolean(property.strip());
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Enumeration<URL> files = (loader != null ? loader : ClassLoader.getSystemClassLoader())
          .getResources("junit-platform.properties");
      while (files.hasMoreElements()) {
        Properties properties = new Properties();
        try (InputStream in = files.nextElement().openStream()) {
          properties.load(in);
        }
        String value = properties.getProperty(ENABLED);
        if (value != null && Boolean.parseBoolean(value.strip())) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return true; // unknown: then make the launcher only after the mounts, as is always safe
    }
  }
}
