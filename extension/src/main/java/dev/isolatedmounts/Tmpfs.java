package dev.isolatedmounts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mounts a fresh, empty tmpfs at an absolute path inside the test's own mount namespace.
 *
 * <p>Each isolated test (and each invocation of a parameterized or repeated test) starts with an
 * empty tmpfs, which vanishes with the child JVM. A target that does not exist on the host is
 * created inside the namespace only.
 *
 * <pre>{@code
 * @Test
 * @Tmpfs(value = "/var/lib/kvstore", size = "64k", mode = "0700")
 * void failsCleanlyWhenTheDiskIsFull() { ... }
 * }</pre>
 *
 * <p>On a test class (or an enclosing class of a {@code @Nested} class) it applies to every test
 * in it; on a test method it adds to the class's mounts. Declaring it makes the test isolated,
 * with or without {@link IsolatedMounts @IsolatedMounts}. On a lifecycle method
 * ({@code @BeforeEach} and the like) it is refused, where the extension runs for the class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Tmpfs.List.class)
@ExtendWith(IsolatedMountsExtension.class)
public @interface Tmpfs {

  /**
   * The absolute path to mount the tmpfs at, for example {@code "/var/lib/app"}.
   *
   * @return the mount target
   */
  String value();

  /**
   * The size limit, as the tmpfs {@code size} option takes it: a number of bytes with an optional
   * {@code k}, {@code m} or {@code g} suffix ({@code "64k"}, {@code "4m"}, {@code "1g"}), or a
   * percentage of RAM ({@code "10%"}), without a leading 0, which the kernel would read as octal.
   * Writing past it fails with "No space left on device".
   *
   * @return the size; empty (the default) for the kernel's default, half of RAM
   */
  String size() default "";

  /**
   * The permissions of the tmpfs root directory, in octal.
   *
   * @return the mode; {@code "0755"} by default
   */
  String mode() default "0755";

  /** Holds repeated {@link Tmpfs @Tmpfs} declarations. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(IsolatedMountsExtension.class)
  @interface List {

    /**
     * The repeated declarations.
     *
     * @return the declarations
     */
    Tmpfs[] value();
  }
}
