package dev.isolatedmounts.internal.child;

import java.util.function.Supplier;

/**
 * Keeps JUnit from registering its Flight Recorder listeners in a child's launcher.
 *
 * <p>JUnit 6 gives every launcher JFR event listeners whenever {@code jdk.jfr.FlightRecorder} can
 * be loaded through the context class loader, and the first event they create initializes the
 * Flight Recorder: about 0.05 s of a child's life, for events nobody records. So the launcher is
 * made while that one class cannot be found through the context class loader; the test itself
 * runs with the original one. A child that is recording (the user started a recording through
 * the child's JVM options) keeps the listeners, and their events. Should JUnit find the class
 * another way, its listeners are simply registered, as before.
 */
final class WithoutFlightRecorder {

  private static final String FLIGHT_RECORDER = "jdk.jfr.FlightRecorder";

  private WithoutFlightRecorder() {}

  static <T> T unlessRecording(Supplier<T> body) {
    if (recording()) {
      return body.get();
    }
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    thread.setContextClassLoader(new Hiding(original == null
        ? ClassLoader.getSystemClassLoader() : original));
    try {
      return body.get();
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  /** Whether the Flight Recorder already runs in this JVM; asking does not start it. */
  static boolean recording() {
    try {
      return (Boolean) Class.forName(FLIGHT_RECORDER).getMethod("isInitialized").invoke(null);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
      return false; // a runtime without jdk.jfr: nothing to keep out
    }
  }

  /** Delegates everything, but for the one class JUnit looks for. */
  private static final class Hiding extends ClassLoader {

    static {
      registerAsParallelCapable();
    }

    Hiding(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(FLIGHT_RECORDER)) {
        throw new ClassNotFoundException(name + " is hidden while the child's launcher is made");
      }
      return super.loadClass(name, resolve);
    }
  }
}
