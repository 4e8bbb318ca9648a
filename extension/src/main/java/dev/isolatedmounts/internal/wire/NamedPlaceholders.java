package dev.isolatedmounts.internal.wire;

import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * Placeholders whose class is named as the original's: tools print a failure by its class, not by
 * its {@code toString()} (Surefire's summary line, {@code MyApp custom code=42}, took the simple
 * name {@code ChildException} for {@code Child custom code=42}). Each is a subclass of {@link
 * ChildException} or {@link ChildAssertionError}, so it is one, made once per name, in a class
 * loader of its own that looks in itself first: the original class may be visible to this one's
 * loader, only not rebuildable. A name the JVM refuses ({@code java.*}, say) keeps the
 * placeholder's own.
 */
final class NamedPlaceholders {

  private static final Map<String, Optional<Constructor<? extends Throwable>>> MADE =
      new ConcurrentHashMap<>();
  private static final int MAX_NAMES = 256;

  private NamedPlaceholders() {}

  /** A placeholder for {@code className}, named as it if that can be. */
  static Throwable of(String className, boolean assertionError, String message, Throwable cause) {
    Class<? extends Throwable> base =
        assertionError ? ChildAssertionError.class : ChildException.class;
    String key = base.getName() + " " + className;
    // Bounded: each is a class and a loader kept for the JVM's life, and names may be many (a
    // mocking library's, made anew in every JVM).
    Optional<Constructor<? extends Throwable>> named = MADE.size() < MAX_NAMES
        ? MADE.computeIfAbsent(key, ignored -> made(base, className))
        : MADE.getOrDefault(key, Optional.empty());
    if (named.isPresent()) {
      try {
        return named.get().newInstance(className, message, cause);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // the unnamed placeholder below
      }
    }
    return assertionError ? new ChildAssertionError(className, message, cause)
        : new ChildException(className, message, cause);
  }

  private static Optional<Constructor<? extends Throwable>> made(
      Class<? extends Throwable> base, String className) {
    try {
      Class<? extends Throwable> type = new ByteBuddy().subclass(base).name(className).make()
          .load(base.getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST)
          .getLoaded();
      return Optional.of(type.getConstructor(String.class, String.class, Throwable.class));
    } catch (RuntimeException | LinkageError | NoSuchMethodException e) {
      return Optional.empty();
    }
  }
}
