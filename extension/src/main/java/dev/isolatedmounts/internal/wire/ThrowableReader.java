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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.ValueWrapper;

/**
 * Reads one throwable graph written by {@link ThrowableWriter}, children before their parent, so
 * each throwable is built once its cause and suppressed throwables exist.
 */
final class ThrowableReader {

  private final PayloadReader in;
  private final ClassLoader loader;
  // By the number the writer gave; null while that throwable is still being read.
  private final List<Throwable> decoded = new ArrayList<>();

  ThrowableReader(PayloadReader in, ClassLoader loader) {
    this.in = in;
    this.loader = loader;
  }

  Throwable readRoot() throws ProtocolException {
    return readThrowable(0);
  }

  private Throwable readThrowable(int depth) throws ProtocolException {
    if (depth >= MAX_DEPTH) {
      throw in.malformed("throwables nested deeper than the limit of " + MAX_DEPTH);
    }
    if (decoded.size() >= MAX_THROWABLES) {
      throw in.malformed("more throwables than the limit of " + MAX_THROWABLES);
    }
    int index = decoded.size();
    decoded.add(null);
    String className = in.readString("class name");
    String message = in.readNullableString("message");
    boolean assertionError = in.readBoolean("assertion error flag");
    // The candidate is made only after the children are read: it may need the cause.
    UnaryOperator<Throwable> candidate = readDetails(className, message, depth);
    StackTraceElement[] stackTrace = readStackTrace();
    Throwable cause = readChild(depth + 1);
    List<Throwable> suppressed = readChildren("suppressed", depth + 1);
    suppressed.removeIf(Objects::isNull); // cut by the writer
    ThrowableFactory.Parts parts = new ThrowableFactory.Parts(
        className, message, assertionError, stackTrace, cause, suppressed);
    Throwable throwable = ThrowableFactory.assemble(candidate.apply(cause), parts);
    decoded.set(index, throwable);
    return throwable;
  }

  /** Reads what follows the header; returns how to make the candidate from the decoded cause. */
  private UnaryOperator<Throwable> readDetails(String className, String message, int depth)
      throws ProtocolException {
    byte kind = in.readByte("throwable kind");
    switch (kind) {
      case GENERIC -> {
        return cause -> ThrowableFactory.instantiate(className, message, cause, loader);
      }
      case FILE_SYSTEM -> {
        FileSystemFailures.Parts parts = new FileSystemFailures.Parts(
            in.readNullableString("file"), in.readNullableString("other file"),
            in.readNullableString("reason"));
        return cause -> FileSystemFailures.rebuild(className, message, parts, loader);
      }
      case ASSERTION_FAILED -> {
        ValueWrapper expected = AssertionValues.read(in, "expected");
        ValueWrapper actual = AssertionValues.read(in, "actual");
        return cause -> assertionFailed(className, message, expected, actual, cause);
      }
      case MULTIPLE_FAILURES -> {
        String heading = in.readNullableString("heading");
        List<Throwable> failures = readChildren("failures", depth + 1);
        return cause -> MultipleFailures.rebuild(
            className, heading, message, failures, cause, loader);
      }
      default -> throw in.malformed("unknown throwable kind " + kind);
    }
  }

  private AssertionFailedError assertionFailed(String className, String message,
      ValueWrapper expected, ValueWrapper actual, Throwable cause) {
    if (!ThrowableFactory.resolvesTo(loader, AssertionFailedError.class)) {
      return null;
    }
    if (!className.equals(AssertionFailedError.class.getName())) {
      // A subclass: as itself only if it has no values to lose, else a placeholder keeping them.
      if (expected == null && actual == null
          && ThrowableFactory.instantiate(className, message, cause, loader)
              instanceof AssertionFailedError own) {
        return own;
      }
      return ChildAssertionFailedError.of(className, message, expected, actual, cause);
    }
    if (expected == null && actual == null) {
      return new AssertionFailedError(message, cause);
    }
    // The public constructors define both values or neither; a wrapper passes through as is.
    return new AssertionFailedError(message,
        expected != null ? expected : ValueWrapper.create(null),
        actual != null ? actual : ValueWrapper.create(null),
        cause);
  }

  private StackTraceElement[] readStackTrace() throws ProtocolException {
    int count = in.readCount("stack frames", MAX_STACK_FRAMES);
    StackTraceElement[] stackTrace = new StackTraceElement[count];
    for (int i = 0; i < count; i++) {
      String loaderName = in.readNullableString("frame class loader");
      String moduleName = in.readNullableString("frame module");
      String moduleVersion = in.readNullableString("frame module version");
      String declaringClass = in.readString("frame class");
      String methodName = in.readString("frame method");
      String fileName = in.readNullableString("frame file");
      int lineNumber = in.readInt("frame line");
      stackTrace[i] = new StackTraceElement(loaderName, moduleName, moduleVersion,
          declaringClass, methodName, fileName, lineNumber);
    }
    return stackTrace;
  }

  private List<Throwable> readChildren(String field, int depth) throws ProtocolException {
    int count = in.readCount(field, MAX_SUPPRESSED);
    List<Throwable> children = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      children.add(readChild(depth));
    }
    return children;
  }

  private Throwable readChild(int depth) throws ProtocolException {
    byte tag = in.readByte("child tag");
    switch (tag) {
      case NONE -> {
        return null;
      }
      case INLINE -> {
        return readThrowable(depth);
      }
      case REFERENCE -> {
        return readReference();
      }
      default -> throw in.malformed("unknown child tag " + tag);
    }
  }

  private Throwable readReference() throws ProtocolException {
    int index = in.readInt("reference");
    if (index < 0 || index >= decoded.size()) {
      throw in.malformed("reference to throwable #" + index + ", but only " + decoded.size()
          + " were read");
    }
    Throwable referenced = decoded.get(index);
    if (referenced == null) {
      // Only a cycle refers to a throwable still being read; the writer never writes one.
      throw in.malformed("reference to throwable #" + index + " closes a cycle");
    }
    return referenced;
  }
}
