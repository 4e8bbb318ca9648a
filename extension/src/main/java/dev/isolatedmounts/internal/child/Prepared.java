package dev.isolatedmounts.internal.child;

import java.util.function.Supplier;

/**
 * Something made ahead of the test, whose failure belongs to the test: it is thrown when the
 * test asks for it, so it is reported as the test's result, not lost before the test is known.
 */
final class Prepared<T> {

  private final T value;
  private final Throwable failure;

  private Prepared(T value, Throwable failure) {
    this.value = value;
    this.failure = failure;
  }

  static <T> Prepared<T> of(Supplier<T> maker) {
    try {
      return new Prepared<>(maker.get(), null);
    } catch (Throwable t) {
      return new Prepared<>(null, t);
    }
  }

  T get() throws Throwable {
    if (failure != null) {
      throw failure;
    }
    return value;
  }
}
