package dev.isolatedmounts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test in its own child JVM, started inside a fresh Linux mount namespace, with the
 * mounts declared by {@link Tmpfs @Tmpfs}, {@link Bind @Bind} and {@link Overlay @Overlay}.
 *
 * <p>Every isolated test &mdash; each {@code @Test}, and each single invocation of a
 * {@code @ParameterizedTest}, {@code @RepeatedTest} or other {@code @TestTemplate} &mdash; gets a
 * new JVM. Its whole lifecycle (construction, {@code @BeforeEach}/{@code @AfterEach}, other
 * extensions, parameter resolution) runs there, after the mounts are made. The outcome, the
 * exception, report entries and the output travel back to this JVM, so the build sees an ordinary
 * test result. The host's mount table is never changed.
 *
 * <pre>{@code
 * @IsolatedMounts
 * @Tmpfs(value = "/var/lib/kvstore", size = "4m", mode = "0700")
 * @Bind(source = "src/test/fixtures/etc-kvstore", target = "/etc/kvstore", readOnly = true)
 * class KvStoreTest {
 *   @Test
 *   void startsFromConfig() throws IOException {
 *     assertThat(Files.readString(Path.of("/etc/kvstore/kvstore.conf"))).contains("port");
 *   }
 * }
 * }</pre>
 *
 * <p>The annotation may be put on a test class (it is inherited by subclasses and applies to
 * {@code @Nested} classes), on a test method, or on a custom annotation. A {@code @Tmpfs} or
 * {@code @Bind} alone makes a test isolated too; this annotation adds the namespace settings. Where
 * several apply (an enclosing class, a class and a method, say), the innermost one gives
 * {@code propagation}, {@code readOnlyRoot}, {@code trapExit} and {@code keepOnFailure}, and the
 * {@code jvmArgs} of each add up, outermost first. Within one class, as Java's {@code @Inherited}
 * has it, one declared on the class itself replaces a superclass's, and one written directly goes
 * before one found on a custom annotation.
 *
 * <p>Requirements: Linux, util-linux {@code unshare} on the {@code PATH} (2.35 or newer as root,
 * 2.38 or newer otherwise), and, for a user other than root, unprivileged user namespaces. Where
 * the host cannot create the namespaces the test fails with a message that says what was tried
 * and how to enable it; the configuration parameter {@code isolatedmounts.unsupported=abort}
 * aborts (skips) it instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(IsolatedMountsExtension.class)
public @interface IsolatedMounts {

  /**
   * The propagation of {@code /} inside the child's namespace.
   *
   * @return the propagation; {@link Propagation#PRIVATE} by default
   */
  Propagation propagation() default Propagation.PRIVATE;

  /**
   * Extra options for the child JVM of each test here, added after the defaults, this JVM's own
   * options and the configuration parameter {@code isolatedmounts.jvmArgs}, so they win. On a class
   * and on a method, the class's come first.
   *
   * <pre>{@code
   * @IsolatedMounts(jvmArgs = {"-Xmx64m", "-Dapp.mode=test"})
   * }</pre>
   *
   * @return the options; none by default
   */
  String[] jvmArgs() default {};

  /**
   * Makes everything outside the declared writable mounts read-only inside the child: a test that
   * writes anywhere it did not declare ({@link Tmpfs @Tmpfs}, a read-write {@link Bind @Bind},
   * an {@link Overlay @Overlay}) fails at once with "Read-only file system" and the path. The
   * JVM's own needs keep working: {@code java.io.tmpdir} (and so JUnit's {@code @TempDir}) gets a
   * private tmpfs, {@code /dev/shm} stays writable, and the class path is only read.
   *
   * @return whether the root is read-only; {@code false} by default
   */
  boolean readOnlyRoot() default false;

  /**
   * Makes {@code System.exit} and {@code Runtime.exit} in the child throw a
   * {@link SystemExitException} carrying the status instead of ending the JVM, so a test can call
   * a command-line {@code main} and assert its exit status. Costs nothing when off; on, the child
   * starts with the Byte Buddy agent and rewrites {@code java.lang.Runtime} before the test, which
   * roughly doubles a trivial test's CPU time (some 0.3&ndash;0.35 s more per test, measured on
   * 2 cores; the README gives the figures).
   *
   * @return whether exits are trapped; {@code false} by default
   */
  boolean trapExit() default false;

  /**
   * When the test fails, copies the contents of its tmpfs mounts and overlay upper layers to
   * {@code target/isolated-mounts/<test>/} (relative to the working directory) before the
   * namespace dies, and adds to the failure where they are and a command that rebuilds the
   * namespace by hand. The configuration parameter {@code isolatedmounts.keepOnFailure=true}
   * turns it on for every isolated test.
   *
   * @return whether to keep a failed test's mounts; {@code false} by default
   */
  boolean keepOnFailure() default false;
}
