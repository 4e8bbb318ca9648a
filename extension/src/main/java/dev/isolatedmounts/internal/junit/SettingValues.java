package dev.isolatedmounts.internal.junit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reads every {@code isolatedmounts.*} setting's value once, before anything is started, and
 * refuses all bad ones in one message: each read alone stops at its own, and a user who corrects
 * one would meet the next only on the next run.
 */
final class SettingValues {

  private SettingValues() {}

  /** Throws if any setting's value is bad: that one's own exception, or one naming them all. */
  static void check(ExtensionContext context) {
    List<Runnable> reads = List.of(
        () -> ChildSettings.abortWhenUnsupported(context),
        () -> ChildSettings.connectTimeout(context),
        () -> ChildSettings.timeout(context),
        () -> options(context, ChildSettings.JVM_ARGS),
        () -> options(context, ChildSettings.DEFAULT_JVM_ARGS),
        () -> ChildSettings.poolSize(context),
        () -> ChildSettings.debugPort(context),
        () -> KeptArtifacts.configured(context),
        // A good value's directory is made, even beside another's bad value: it was asked for.
        () -> ChildSettings.cacheDirectory(context));
    List<ExtensionConfigurationException> bad = new ArrayList<>();
    for (Runnable read : reads) {
      try {
        read.run();
      } catch (ExtensionConfigurationException e) {
        bad.add(e);
      }
    }
    if (bad.size() == 1) {
      throw bad.get(0);
    }
    if (!bad.isEmpty()) {
      StringBuilder message = new StringBuilder(bad.size() + " configuration parameters of"
          + " isolated-mounts have bad values:");
      bad.forEach(e -> message.append("\n  - ").append(e.getMessage()));
      ExtensionConfigurationException all =
          new ExtensionConfigurationException(message.toString());
      bad.forEach(all::addSuppressed); // each with its own cause, where it has one
      throw all;
    }
  }

  private static void options(ExtensionContext context, String key) {
    context.getConfigurationParameter(key).ifPresent(value -> JvmArguments.split(key, value));
  }
}
