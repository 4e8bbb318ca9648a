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
 * mounts declared by {@link Tmpfs @Tmpfs} and {@link Bind @Bind}.
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
 * {@code @Bind} alone makes a test isolated too; this annotation adds the namespace settings.
 *
 * <p>Requirements: Linux, util-linux {@code unshare} 2.35 or newer on the {@code PATH}, and, for
 * a user other than root, unprivileged user namespaces. Where the host cannot create the
 * namespaces the test fails with a message that says what was tried and how to enable it; the
 * configuration parameter {@code isolatedmounts.unsupported=abort} aborts (skips) it instead.
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
}
