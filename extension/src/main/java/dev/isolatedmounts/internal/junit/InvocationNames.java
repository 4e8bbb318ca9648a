package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.child.IsolationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.UniqueId;

/**
 * Makes sure a child runs the invocation the test run's JVM named. An argument source runs in
 * both, and the child takes the invocation at the parent's index: a source whose order differs
 * from JVM to JVM ({@code Set.of}, {@code Map.of}, a {@code HashSet} of objects without their own
 * hash code) gave a child other arguments than the parent showed, some twice and some never, and
 * every invocation passed. The parent sends each invocation's display name; the child compares its
 * own before the test method runs.
 */
public final class InvocationNames {

  /** Followed by the invocation's unique id in the child: its display name in the parent. */
  private static final String PROPERTY = "isolatedmounts.child.displayName.";
  private static final String TEST_INVOCATION = "test-template-invocation";
  private static final String CLASS_INVOCATION = "class-template-invocation";
  /** Object's own toString: an identity hash, which differs from JVM to JVM by design. */
  private static final Pattern IDENTITY_HASH = Pattern.compile("@[0-9a-f]{1,8}\\b");

  private InvocationNames() {}

  /** The system properties that tell the child the display names of the test's invocations. */
  static Map<String, String> of(ExtensionContext context) {
    if (!context.getUniqueId().contains("-template-invocation:")) {
      return Map.of(); // a plain @Test, most of them: no walk, no parsing, per test
    }
    Map<String, String> names = new LinkedHashMap<>();
    for (Optional<ExtensionContext> at = Optional.of(context); at.isPresent();
        at = at.get().getParent()) {
      ExtensionContext level = at.get();
      if (invocation(level.getUniqueId()) != null) {
        names.put(PROPERTY + IsolatedExecution.childUniqueId(level.getUniqueId()),
            level.getDisplayName());
      }
    }
    return names;
  }

  /** In the child: throws if an invocation the test runs in has another name than the parent's. */
  public static void check(ExtensionContext context) {
    for (Optional<ExtensionContext> at = Optional.of(context); at.isPresent();
        at = at.get().getParent()) {
      ExtensionContext level = at.get();
      String parent = System.getProperty(PROPERTY + level.getUniqueId());
      String child = level.getDisplayName();
      if (parent != null && !comparable(parent).equals(comparable(child))) {
        boolean ofClass = CLASS_INVOCATION.equals(invocation(level.getUniqueId()));
        throw new IsolationException("Invocation " + parent + " of " + (ofClass
            ? "@ParameterizedClass " + context.getRequiredTestClass().getSimpleName()
            : context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + "()")
            + " would have run with other arguments in its child JVM, which JUnit named "
            + child + " there; its test method did not run. The argument source runs in the test"
            + " run's JVM, to know the invocations, and again in each child, which takes the"
            + " invocation at the same index: it gave other arguments, or another order, there."
            + " A Set.of, Map.of or HashSet is ordered anew in each JVM, and a source that reads"
            + " a mounted path reads the host's in the test run's JVM. Give the arguments in a"
            + " fixed order (a List, sorted) from the same data in both; where they differ by"
            + " design (random values), leave them out of the invocations' names: "
            + (ofClass ? "@ParameterizedClass" : "@ParameterizedTest")
            + "(name = \"[{index}]\")");
      }
    }
  }

  /** The kind of invocation the last segment of {@code uniqueId} is, or null if none. */
  private static String invocation(String uniqueId) {
    String type = UniqueId.parse(uniqueId).getLastSegment().getType();
    return type.equals(TEST_INVOCATION) || type.equals(CLASS_INVOCATION) ? type : null;
  }

  private static String comparable(String displayName) {
    return IDENTITY_HASH.matcher(displayName).replaceAll("@");
  }
}
