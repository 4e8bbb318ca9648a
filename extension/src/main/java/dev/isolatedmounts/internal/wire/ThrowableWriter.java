package dev.isolatedmounts.internal.wire;

import static dev.isolatedmounts.internal.wire.ThrowableCodec.ASSERTION_FAILED;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.FILE_SYSTEM;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.GENERIC;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.INLINE;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.MAX_DEPTH;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.MAX_STACK_FRAMES;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.MAX_SUPPRESSED;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.MAX_THROWABLES;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.MULTIPLE_FAILURES;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.NONE;
import static dev.isolatedmounts.internal.wire.ThrowableCodec.REFERENCE;

import java.nio.file.FileSystemException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.ValueWrapper;

/**
 * Writes one throwable graph for {@link ThrowableCodec}, depth first, numbering each throwable in
 * the order it is first written so that a later occurrence can refer to it.
 */
final class ThrowableWriter {

  private final PayloadWriter out;
  private final Map<Throwable, Integer> indexes = new IdentityHashMap<>();
  // Identity, not equals(): a throwable class may override equals, and a cycle is about identity.
  private final Set<Throwable> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

  ThrowableWriter(PayloadWriter out) {
    this.out = out;
  }

  void writeRoot(Throwable root) {
    writeThrowable(root, 0);
  }

  private void writeThrowable(Throwable throwable, int depth) {
    indexes.put(throwable, indexes.size());
    inProgress.add(throwable);
    out.writeString(throwable.getClass().getName());
    out.writeNullableString(messageOf(throwable));
    out.writeBoolean(throwable instanceof AssertionError);
    writeDetails(throwable, depth);
    writeStackTrace(stackTraceOf(throwable));
    writeChild(causeOf(throwable), depth + 1);
    Throwable[] suppressed = throwable.getSuppressed(); // final in Throwable: cannot throw
    int count = Math.min(suppressed.length, MAX_SUPPRESSED);
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      writeChild(suppressed[i], depth + 1);
    }
    inProgress.remove(throwable);
  }

  // The test's own classes may override these accessors, and one that throws must cost only its
  // own part: not the rest of the failure, which would otherwise give way to a stand-in.

  private static String messageOf(Throwable throwable) {
    try {
      return throwable.getMessage();
    } catch (RuntimeException | Error e) {
      return "(its getMessage() threw " + e.getClass().getName() + ")";
    }
  }

  private static StackTraceElement[] stackTraceOf(Throwable throwable) {
    try {
      return throwable.getStackTrace();
    } catch (RuntimeException | Error e) {
      return new StackTraceElement[0];
    }
  }

  private static Throwable causeOf(Throwable throwable) {
    try {
      return throwable.getCause();
    } catch (RuntimeException | Error e) {
      return null;
    }
  }

  private void writeDetails(Throwable throwable, int depth) {
    // Subclasses too (AssertJ's soft assertions throw one of MultipleFailuresError): the values
    // and failures are what an IDE shows. Only an exact class is rebuilt as itself; the parent
    // gives a subclass a placeholder of the same kind.
    if (throwable instanceof AssertionFailedError failure) {
      ValueWrapper[] values = valuesOf(failure);
      if (values != null) {
        out.writeByte(ASSERTION_FAILED);
        AssertionValues.write(values[0], out);
        AssertionValues.write(values[1], out);
        return;
      }
    }
    if (throwable instanceof MultipleFailuresError error) {
      List<Throwable> failures = failuresOf(error);
      if (failures != null) {
        boolean exact = error.getClass() == MultipleFailuresError.class;
        // Past the limit the heading would make another message; the placeholder keeps it.
        String heading = exact && failures.size() <= MAX_SUPPRESSED
            ? MultipleFailures.headingOf(error) : null;
        int count = Math.min(failures.size(), MAX_SUPPRESSED);
        out.writeByte(MULTIPLE_FAILURES);
        out.writeNullableString(heading);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
          writeChild(failures.get(i), depth + 1);
        }
        return;
      }
    }
    if (throwable instanceof FileSystemException failure) {
      FileSystemFailures.Parts parts = FileSystemFailures.partsOf(failure);
      if (parts != null) {
        out.writeByte(FILE_SYSTEM);
        out.writeNullableString(parts.file());
        out.writeNullableString(parts.otherFile());
        out.writeNullableString(parts.reason());
        return;
      }
    }
    out.writeByte(GENERIC);
  }

  /** Returns the expected and actual values, each null if not defined; null if an accessor threw. */
  private static ValueWrapper[] valuesOf(AssertionFailedError failure) {
    try {
      return new ValueWrapper[] {
          failure.isExpectedDefined() ? failure.getExpected() : null,
          failure.isActualDefined() ? failure.getActual() : null};
    } catch (RuntimeException | Error e) {
      return null; // a subclass's override; the failure travels as a plain one
    }
  }

  private static List<Throwable> failuresOf(MultipleFailuresError error) {
    try {
      return List.copyOf(error.getFailures());
    } catch (RuntimeException | Error e) {
      return null; // a subclass's override threw, or gave a list with null in it
    }
  }

  private void writeChild(Throwable child, int depth) {
    Integer index = child == null ? null : indexes.get(child);
    if (child == null || inProgress.contains(child)) {
      // A throwable that contains itself is cut here, where the JDK prints "[CIRCULAR REFERENCE]".
      out.writeByte(NONE);
    } else if (index != null) {
      out.writeByte(REFERENCE);
      out.writeInt(index);
    } else if (depth >= MAX_DEPTH || indexes.size() >= MAX_THROWABLES) {
      out.writeByte(NONE);
    } else {
      out.writeByte(INLINE);
      writeThrowable(child, depth);
    }
  }

  private void writeStackTrace(StackTraceElement[] stackTrace) {
    int count = Math.min(stackTrace.length, MAX_STACK_FRAMES);
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      StackTraceElement element = stackTrace[i];
      // The JVM marks which loader names and module versions toString() omits (the "app"
      // loader, JDK module versions); a rebuilt element has no such marks, so only the parts the
      // child would print travel, and the parent prints the same line.
      String printed = element.toString();
      String loader = element.getClassLoaderName();
      boolean loaderShown = loader != null && !loader.isEmpty() && printed.startsWith(loader + "/");
      String prefix = loaderShown ? loader + "/" : "";
      String module = element.getModuleName();
      String version = element.getModuleVersion();
      boolean versionShown = module != null && version != null && !version.isEmpty()
          && printed.startsWith(prefix + module + "@" + version + "/");
      out.writeNullableString(loaderShown ? loader : null);
      out.writeNullableString(module);
      out.writeNullableString(versionShown ? version : null);
      out.writeString(element.getClassName());
      out.writeString(element.getMethodName());
      out.writeNullableString(element.getFileName());
      out.writeInt(element.getLineNumber());
    }
  }
}
