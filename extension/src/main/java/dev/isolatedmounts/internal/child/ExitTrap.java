package dev.isolatedmounts.internal.child;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.isolatedmounts.SystemExitException;
import java.util.function.IntFunction;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassReloadingStrategy;

/**
 * {@code @IsolatedMounts(trapExit = true)}: rewrites {@code java.lang.Runtime.exit(int)} so that it
 * throws {@link SystemExitException} while the trap is set.
 *
 * <p>{@code Runtime} is a bootstrap class, which cannot see this library's classes, so the code
 * woven into it uses only {@code java.*} types: it looks up an {@code IntFunction} kept in the
 * system properties table (a {@code Hashtable} that takes any value) and throws what it returns.
 * Removing that entry lets the child's own final {@code System.exit} through. The instrumentation
 * comes from the Byte Buddy agent jar given to the child with {@code -javaagent}, so nothing
 * attaches at run time; a child that does not trap exits loads none of this.
 */
final class ExitTrap {

  /** The system properties key of the hook; not a string property, so not forwarded anywhere. */
  static final String HOOK = "isolatedmounts.exitTrap";

  private ExitTrap() {}

  /** Instruments {@code Runtime.exit} (once per JVM) and sets the trap. */
  static void install() {
    new ByteBuddy()
        .redefine(Runtime.class)
        .visit(Advice.to(ExitAdvice.class).on(named("exit").and(takesArguments(int.class))))
        .make()
        .load(Runtime.class.getClassLoader(),
            ClassReloadingStrategy.of(ByteBuddyAgent.install()));
    IntFunction<Error> hook = SystemExitException::new;
    System.getProperties().put(HOOK, hook);
  }

  /** Lifts the trap, so {@code System.exit} ends the JVM again. */
  static void release() {
    System.getProperties().remove(HOOK);
  }

  /** Woven into the start of {@code Runtime.exit(int)}; only {@code java.*} types here. */
  static final class ExitAdvice {

    private ExitAdvice() {}

    @Advice.OnMethodEnter
    @SuppressWarnings("unchecked")
    static void enter(@Advice.Argument(0) int status) {
      Object hook = System.getProperties().get("isolatedmounts.exitTrap");
      if (hook instanceof IntFunction) {
        Object thrown = ((IntFunction<Object>) hook).apply(status);
        if (thrown instanceof Error) {
          throw (Error) thrown;
        }
      }
    }
  }
}
