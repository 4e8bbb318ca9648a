package dev.isolatedmounts.internal.plan;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Reads the mount plan of a test from its annotations: those of the enclosing classes of a
 * {@code @Nested} class (outermost first), of the test class (with what it inherits and its
 * meta-annotations), then of the method. Every declaration is validated here, so a bad one fails
 * before any child JVM starts.
 */
public final class PlanReader {

  private PlanReader() {}

  /**
   * Returns the plan of a test, or empty when nothing makes it isolated.
   *
   * @param testClass the class holding the test (a {@code @Nested} class included)
   * @param testMethod the test method; empty to ask about the class as a whole
   * @throws ExtensionConfigurationException for a bad declaration
   */
  public static Optional<MountPlan> read(Class<?> testClass, Optional<Method> testMethod) {
    return read(enclosingFirst(testClass), testMethod);
  }

  /**
   * Like {@link #read(Class, Optional)}, for a test class run within {@code classes}: the classes
   * JUnit runs it in, outermost first, the test class last. They differ from the test class's
   * own enclosing classes for a {@code @Nested} class inherited from a superclass: JUnit runs
   * {@code Base.Inner} within the subclass, whose declarations it must have.
   */
  public static Optional<MountPlan> read(List<Class<?>> classes, Optional<Method> testMethod) {
    Optional<MountPlan> settings = declaredSettings(classes, testMethod);
    if (settings.isEmpty()) {
      return Optional.empty();
    }
    List<Declared> declared = new ArrayList<>();
    for (AnnotatedElement level : levels(classes, testMethod)) {
      for (Tmpfs tmpfs : AnnotationSupport.findRepeatableAnnotations(level, Tmpfs.class)) {
        String where = Declaration.where(level, tmpfs);
        declared.add(new Declared(tmpfs(tmpfs, where), where));
      }
      for (Bind bind : AnnotationSupport.findRepeatableAnnotations(level, Bind.class)) {
        String where = Declaration.where(level, bind);
        declared.add(new Declared(bind(bind, where), where));
      }
      for (Overlay overlay : AnnotationSupport.findRepeatableAnnotations(level, Overlay.class)) {
        String where = Declaration.where(level, overlay);
        declared.add(new Declared(overlay(overlay, where), where));
      }
    }
    List<Declared> once = once(asMounted(declared));
    List<Declared> ordered = parentsFirst(once);
    HostTargets.check(ordered);
    return Optional.of(settings.get().withMounts(
        ordered.stream().map(Declared::spec).toList()));
  }

  /**
   * What a test's declarations make of how its child starts (propagation, read-only root, exit
   * trap), read from the annotations as {@link #read} reads them but not validated, so no path is
   * looked at and the answer does not depend on when it is asked: a plan without its mounts, or
   * empty when nothing isolates the test.
   */
  public static Optional<MountPlan> declaredSettings(Class<?> testClass,
      Optional<Method> testMethod) {
    return declaredSettings(enclosingFirst(testClass), testMethod);
  }

  /** Like {@link #declaredSettings(Class, Optional)}, within {@code classes} (see read). */
  public static Optional<MountPlan> declaredSettings(List<Class<?>> classes,
      Optional<Method> testMethod) {
    boolean isolated = false;
    IsolatedMounts innermost = null;
    for (AnnotatedElement level : levels(classes, testMethod)) {
      Optional<IsolatedMounts> settings =
          AnnotationSupport.findAnnotation(level, IsolatedMounts.class);
      if (settings.isPresent()) {
        innermost = settings.get();
      }
      isolated |= declaresIsolation(level);
    }
    if (!isolated) {
      return Optional.empty();
    }
    return Optional.of(innermost == null ? new MountPlan(Propagation.PRIVATE, List.of())
        : new MountPlan(innermost.propagation(), List.of(), innermost.readOnlyRoot(),
            innermost.trapExit(), innermost.keepOnFailure()));
  }

  /**
   * Whether {@code element} itself (not an enclosing class) declares anything that isolates a
   * test, as {@link #read} looks for it.
   */
  public static boolean declaresIsolation(AnnotatedElement element) {
    return AnnotationSupport.isAnnotated(element, IsolatedMounts.class)
        || !AnnotationSupport.findRepeatableAnnotations(element, Tmpfs.class).isEmpty()
        || !AnnotationSupport.findRepeatableAnnotations(element, Bind.class).isEmpty()
        || !AnnotationSupport.findRepeatableAnnotations(element, Overlay.class).isEmpty();
  }

  /**
   * Refuses isolation declared on a lifecycle method ({@code kind} names it, as
   * {@code "@BeforeEach"}): it would isolate nothing, and the user would take the method's host
   * writes for isolated ones.
   *
   * @throws ExtensionConfigurationException if {@code method} declares any
   */
  public static void refuseOnLifecycleMethod(Method method, String kind) {
    if (!declaresIsolation(method)) {
      return;
    }
    List<String> found = new ArrayList<>();
    for (Class<? extends java.lang.annotation.Annotation> type
        : List.of(IsolatedMounts.class, Tmpfs.class, Bind.class, Overlay.class)) {
      if (type == IsolatedMounts.class ? AnnotationSupport.isAnnotated(method, type)
          : !AnnotationSupport.findRepeatableAnnotations(method, type).isEmpty()) {
        found.add("@" + type.getSimpleName());
      }
    }
    throw new ExtensionConfigurationException(String.join(" and ", found) + " on " + kind + " "
        + Declaration.where(method) + " would isolate nothing: mounts and @IsolatedMounts apply"
        + " to a test method, or to a class for all its tests, and a lifecycle method runs in"
        + " its test's child with them; move the annotation to the class"
        + (kind.endsWith("All") ? "" : ", or to each test method"));
  }

  /**
   * The child JVM options declared with {@code @IsolatedMounts(jvmArgs)} for a test, outermost
   * declaration first.
   */
  public static List<String> jvmArguments(Class<?> testClass, Optional<Method> testMethod) {
    return jvmArguments(enclosingFirst(testClass), testMethod);
  }

  /** Like {@link #jvmArguments(Class, Optional)}, within {@code classes} (see read). */
  public static List<String> jvmArguments(List<Class<?>> classes, Optional<Method> testMethod) {
    List<String> arguments = new ArrayList<>();
    for (AnnotatedElement level : levels(classes, testMethod)) {
      Optional<IsolatedMounts> settings = AnnotationSupport.findAnnotation(level,
          IsolatedMounts.class);
      for (String argument : settings.map(IsolatedMounts::jvmArgs).orElse(new String[0])) {
        if (argument.isBlank()) {
          throw PathRules.invalid("@IsolatedMounts", "jvmArgs", argument, Declaration.where(
              level), "must not hold an empty option, but holds \"" + argument + "\": the java"
              + " launcher would take it for the name of the main class, and the child would not"
              + " start; remove it");
        }
        arguments.add(argument);
      }
    }
    return arguments;
  }

  /** Whether every test of the class is isolated by a class-level (or enclosing) declaration. */
  public static boolean isolatesWholeClass(Class<?> testClass) {
    return read(testClass, Optional.empty()).isPresent();
  }

  private static TmpfsSpec tmpfs(Tmpfs tmpfs, String where) {
    String target = PathRules.target("@Tmpfs", "value", tmpfs.value(), where);
    return new TmpfsSpec(target, OptionRules.size(tmpfs.size(), where),
        OptionRules.mode(tmpfs.mode(), where));
  }

  private static BindSpec bind(Bind bind, String where) {
    String source = PathRules.source("@Bind", "source", bind.source(), where);
    String target = PathRules.target("@Bind", "target", bind.target(), where);
    if (!new java.io.File(source).exists()) {
      throw PathRules.invalid("@Bind", "source", bind.source(), where,
          "does not exist: " + source + (bind.source().startsWith("/") ? ""
              : " (a relative source is resolved against the working directory "
                  + System.getProperty("user.dir") + ")")
              + "; create it or correct the path");
    }
    return new BindSpec(source, target, bind.readOnly());
  }

  private static OverlaySpec overlay(Overlay overlay, String where) {
    // Whether the directory exists is checked with the other targets (HostTargets): below a bind,
    // it is the bind's source that must have it.
    return new OverlaySpec(PathRules.target("@Overlay", "value", overlay.value(), where));
  }

  /**
   * Each declaration with its target as the kernel will mount it: links followed on the host
   * down to the nearest target of the test above it, whose mount decides what is below it (a
   * fresh tmpfs, a bind's source), and as written from there.
   */
  private static List<Declared> asMounted(List<Declared> declared) {
    List<String> targets = declared.stream().map(each -> each.spec().target()).distinct()
        .sorted(Comparator.comparingInt(String::length)).toList();
    Map<String, Path> mounted = new HashMap<>();
    for (String target : targets) { // shortest first: a target above another is shorter
      Path path = Path.of(target);
      Optional<String> above = targets.stream()
          .filter(other -> !other.equals(target) && path.startsWith(Path.of(other)))
          .max(Comparator.comparingInt(String::length));
      mounted.put(target, above.map(other -> mounted.get(other)
          .resolve(Path.of(other).relativize(path))).orElseGet(() -> resolved(target)));
    }
    return declared.stream().map(each -> new Declared(each.spec(), each.where(),
        mounted.get(each.spec().target()))).toList();
  }

  /**
   * Refuses a target declared twice, also by two names for one directory ({@code /var/run} and
   * {@code /run} where the first links to the second).
   */
  private static List<Declared> once(List<Declared> declared) {
    Map<Path, Declared> byTarget = new LinkedHashMap<>();
    for (Declared next : declared) {
      Declared earlier = byTarget.putIfAbsent(next.mounted(), next);
      if (earlier != null) {
        MountSpec spec = next.spec();
        String same = earlier.spec().target().equals(spec.target()) ? ""
            : " (" + earlier.spec().target() + " and " + spec.target() + " are both "
                + next.mounted() + ", links followed)";
        // Two that describe alike differ in what a short description leaves out, or were
        // written differently ("/a" and "/a/"): the tmpfs options tell them apart, or the reader
        // learns the target is one.
        boolean alike = earlier.spec().describe().equals(spec.describe());
        throw new ExtensionConfigurationException("Mount target " + spec.target()
            + " is declared twice" + same + ": " + described(earlier.spec(), alike) + " on "
            + earlier.where() + " and " + described(spec, alike) + " on " + next.where()
            + "; a target can be mounted once per test: remove one declaration or give it"
            + " another target");
      }
    }
    return declared;
  }

  /** A mount as declared, its tmpfs options too where two would otherwise read alike. */
  private static String described(MountSpec spec, boolean full) {
    if (full && spec instanceof TmpfsSpec tmpfs) {
      return "@Tmpfs(value = \"" + tmpfs.target() + "\", " + TmpfsSpec.modeOption(tmpfs.mode())
          .replace("mode=", "mode = \"") + "\"" + (tmpfs.size().isEmpty() ? ""
              : ", size = \"" + tmpfs.size() + "\"") + ")";
    }
    return spec.describe();
  }

  /**
   * The path the kernel mounts on for {@code target}: its nearest existing ancestor with links
   * resolved (the target itself, if it exists), and the rest as written.
   */
  static Path resolved(String target) {
    Path path = Path.of(target);
    try {
      if (Files.exists(path)) {
        return path.toRealPath();
      }
      Path ancestor = ExistingAncestor.of(path);
      return ancestor.toRealPath().resolve(ancestor.relativize(path));
    } catch (IOException e) {
      return path; // gone meanwhile: as written, as the check of the host's targets will say
    }
  }

  /** The enclosing classes of a {@code @Nested} class (outermost first), the class, the method. */
  private static List<AnnotatedElement> levels(List<Class<?>> classes,
      Optional<Method> testMethod) {
    List<AnnotatedElement> levels = new ArrayList<>(classes);
    testMethod.ifPresent(levels::add);
    return levels;
  }

  /**
   * The test class within its enclosing classes as Java declares them, outermost first: what
   * JUnit runs it in, but for an inherited {@code @Nested} class (see {@link #read(List,
   * Optional)}).
   */
  public static List<Class<?>> enclosingFirst(Class<?> testClass) {
    Deque<Class<?>> classes = new ArrayDeque<>();
    for (Class<?> type = testClass; type != null; type = innerEnclosing(type)) {
      classes.addFirst(type);
    }
    return List.copyOf(classes);
  }

  private static Class<?> innerEnclosing(Class<?> type) {
    return type.isMemberClass() && !Modifier.isStatic(type.getModifiers())
        ? type.getEnclosingClass() : null;
  }

  /**
   * Declaration order, except that a mount goes before any declared mount below it: mounting a
   * parent later would hide the child's mount. Below as the kernel sees it, links followed:
   * {@code @Tmpfs("/var/run")} goes before {@code @Tmpfs("/run/app")} where {@code /var/run}
   * links to {@code /run}.
   */
  private static List<Declared> parentsFirst(Iterable<Declared> declared) {
    List<Declared> ordered = new ArrayList<>();
    for (Declared next : declared) {
      Path target = next.mounted();
      int position = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (ordered.get(i).mounted().startsWith(target)) {
          position = i;
          break;
        }
      }
      ordered.add(position, next);
    }
    return ordered;
  }

  /**
   * A mount, where it was declared (for messages), and its target as the kernel will mount it
   * (see {@link #asMounted}).
   */
  record Declared(MountSpec spec, String where, Path mounted) {

    /** Its target as written. */
    Declared(MountSpec spec, String where) {
      this(spec, where, Path.of(spec.target()));
    }
  }
}
