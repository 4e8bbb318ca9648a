package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A child's launcher is made without JUnit's Flight Recorder listeners")
class WithoutFlightRecorderTests {

  @Test
  @DisplayName("by hiding the one class JUnit looks for, from the context class loader only")
  void hidesFlightRecorderWhileMaking() {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    String seen = WithoutFlightRecorder.unlessRecording(() -> {
      ClassLoader during = Thread.currentThread().getContextClassLoader();
      assertThatExceptionOfType(ClassNotFoundException.class)
          .isThrownBy(() -> Class.forName("jdk.jfr.FlightRecorder", false, during));
      try {
        return Class.forName("org.junit.jupiter.api.Test", false, during).getName()
            + " " + Class.forName("jdk.jfr.Recording", false, during).getName();
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(seen).isEqualTo("org.junit.jupiter.api.Test jdk.jfr.Recording");
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
  }

  @Test
  @DisplayName("and the context class loader is restored when making it fails")
  void restoresOnFailure() {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() ->
        WithoutFlightRecorder.unlessRecording(() -> {
          throw new IllegalStateException("no launcher");
        }));
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
  }

  @Test
  @DisplayName("unless this JVM records, which asking does not start")
  void notRecording() throws Exception {
    assertThat(WithoutFlightRecorder.recording()).isFalse();
    assertThat(Class.forName("jdk.jfr.FlightRecorder").getMethod("isInitialized").invoke(null))
        .isEqualTo(false);
  }
}
