package dev.isolatedmounts.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.Tmpfs;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PlanReader")
class PlanReaderTests {

  private static Optional<MountPlan> plan(Class<?> type, String method) {
    try {
      Method found = method == null ? null : find(type, method);
      return PlanReader.read(type, Optional.ofNullable(found));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  private static Method find(Class<?> type, String name) throws NoSuchMethodException {
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        return method;
      }
    }
    throw new NoSuchMethodException(name);
  }

  private static final String REAL = "/tmp/isolated-mounts-plan-reader-real";
  private static final String LINK = "/tmp/isolated-mounts-plan-reader-link";

  /** Targets as the kernel mounts them, links followed: one directory by two names. */
  @Nested
  @DisplayName("orders and compares targets with links resolved")
  class Links {

    @org.junit.jupiter.api.BeforeEach
    void link() throws java.io.IOException {
      unlink();
      java.nio.file.Files.createDirectory(Path.of(REAL));
      java.nio.file.Files.createSymbolicLink(Path.of(LINK), Path.of(REAL));
      java.nio.file.Files.createDirectory(Path.of(OTHER));
      java.nio.file.Files.createSymbolicLink(Path.of(REAL, "cache"), Path.of(OTHER));
    }

    @org.junit.jupiter.api.AfterEach
    void unlink() throws java.io.IOException {
      java.nio.file.Files.deleteIfExists(Path.of(REAL, "cache"));
      java.nio.file.Files.deleteIfExists(Path.of(OTHER));
      java.nio.file.Files.deleteIfExists(Path.of(LINK));
      java.nio.file.Files.deleteIfExists(Path.of(REAL));
    }

    /** Inside, below the bind, is the bind's source, not the host's link. */
    @Test
    @DisplayName("a link below another target of the test is not followed: that mount decides")
    void linkBelowAnotherTarget() {
      assertThat(plan(LinkBelowABind.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target)
          .containsExactly(REAL, REAL + "/cache");
      assertThat(plan(LinkBelowATmpfs.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target)
          .as("not the same target twice: inside, the link is gone with the tmpfs above it")
          .containsExactly(REAL, REAL + "/cache", OTHER);
    }

    @Test
    @DisplayName("a parent named through a link goes before its child named by the real path")
    void parentThroughLink() {
      assertThat(plan(ThroughLink.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target)
          .containsExactly(LINK, REAL + "/app");
    }

    @Test
    @DisplayName("one directory by two names is declared twice")
    void twiceThroughLink() {
      assertThatThrownBy(() -> plan(TwiceThroughLink.class, "test"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("Mount target " + LINK + " is declared twice (" + REAL + " and " + LINK
              + " are both " + REAL + ", links followed): @Tmpfs(\"" + REAL + "\") on method"
              + " TwiceThroughLink.test() and @Tmpfs(\"" + LINK + "\") on method"
              + " TwiceThroughLink.test(); a target can be mounted once per test: remove one"
              + " declaration or give it another target");
    }
  }

  private static final String OTHER = "/tmp/isolated-mounts-plan-reader-other";

  static class LinkBelowABind {
    @Tmpfs(REAL + "/cache")
    @Bind(source = "src", target = REAL)
    void test() {}
  }

  static class LinkBelowATmpfs {
    @Tmpfs(REAL)
    @Tmpfs(REAL + "/cache")
    @Tmpfs(OTHER)
    void test() {}
  }

  static class ThroughLink {
    @Tmpfs(REAL + "/app")
    @Tmpfs(LINK)
    void test() {}
  }

  static class TwiceThroughLink {
    @Tmpfs(REAL)
    @Tmpfs(LINK)
    void test() {}
  }

  @Nested
  @DisplayName("finds what makes a test isolated")
  class Finding {

    @Test
    @DisplayName("nothing: not isolated")
    void plain() {
      assertThat(plan(Plain.class, "test")).isEmpty();
    }

    @Test
    @DisplayName("@IsolatedMounts alone: isolated, no mounts, its propagation")
    void settingsOnly() {
      assertThat(plan(SettingsOnly.class, "test"))
          .contains(new MountPlan(Propagation.SLAVE, java.util.List.of()));
    }

    @Test
    @DisplayName("@Tmpfs on a method only: that method, not the class")
    void methodTmpfs() {
      assertThat(plan(MethodTmpfs.class, "isolated")).get()
          .extracting(MountPlan::mounts).asList()
          .containsExactly(new TmpfsSpec("/var/lib/app", "", 0755));
      assertThat(plan(MethodTmpfs.class, "plain")).isEmpty();
      assertThat(PlanReader.isolatesWholeClass(MethodTmpfs.class)).isFalse();
    }

    @Test
    @DisplayName("class and method mounts add up in declaration order, a parent before its child")
    void addUp() {
      MountPlan plan = plan(ClassAndMethod.class, "test").orElseThrow();

      assertThat(plan.propagation()).isEqualTo(Propagation.PRIVATE);
      assertThat(plan.mounts()).extracting(MountSpec::target)
          .containsExactly("/var/lib/app", "/etc/app", "/var/lib/app/a/b", "/var/lib/app/cache");
      assertThat(plan.mounts().get(0)).isEqualTo(new TmpfsSpec("/var/lib/app", "4m", 0700));
      assertThat(plan.mounts().get(1)).isEqualTo(new BindSpec(
          Path.of("src").toAbsolutePath().toString(), "/etc/app", true));
    }

    @Test
    @DisplayName("a parent declared after its child is moved before it, nothing else moves")
    void parentMovedBeforeChild() {
      assertThat(plan(ChildDeclaredFirst.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target)
          .containsExactly("/var/lib/app", "/var/lib/app/cache", "/srv");
    }

    @Test
    @DisplayName("@Overlay: an overlay spec of the normalized directory; a relative one is rejected")
    void overlay() {
      assertThat(plan(Overlays.class, "test").orElseThrow().mounts())
          .containsExactly(new OverlaySpec("/etc"), new OverlaySpec("/usr/share"));
      assertThatThrownBy(() -> plan(Bad.class, "overlayRelative"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Overlay on method Bad.overlayRelative(): value must be an absolute path,"
              + " but was \"etc\"; write \"/etc\"");
    }

    @Test
    @DisplayName("hermetic settings come from the innermost @IsolatedMounts; keepOnFailure adds")
    void hermeticSettings() {
      MountPlan plan = plan(Hermetic.class, "test").orElseThrow();
      assertThat(plan.readOnlyRoot()).isTrue();
      assertThat(plan.trapExit()).isFalse();
      assertThat(plan.keepOnFailure()).isFalse();
      assertThat(plan.keepingOnFailure(true).keepOnFailure()).isTrue();
      MountPlan method = plan(Hermetic.class, "trapping").orElseThrow();
      assertThat(method.trapExit()).isTrue();
      assertThat(method.readOnlyRoot()).isFalse();
      assertThat(method.keepOnFailure()).isTrue();
      assertThat(plan(Plain.class, "test")).isEmpty();
    }

    @Test
    @DisplayName("enclosing classes of a @Nested class, a superclass and a meta-annotation count")
    void inherited() {
      assertThat(plan(Outer.Inner.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target).containsExactly("/outer", "/inner");
      assertThat(plan(Sub.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target).containsExactly("/meta");
      assertThat(PlanReader.isolatesWholeClass(Outer.Inner.class)).isTrue();
    }

    @Test
    @DisplayName("jvmArgs add up from the outermost class to the method; a subclass's replace its"
        + " superclass's, as @Inherited has it")
    void jvmArgs() throws NoSuchMethodException {
      assertThat(PlanReader.jvmArguments(JvmArgsOuter.Inner.class,
          Optional.of(find(JvmArgsOuter.Inner.class, "test"))))
          .containsExactly("-Douter", "-Dinner", "-Dmethod");
      assertThat(PlanReader.jvmArguments(JvmArgsSub.class, Optional.of(find(JvmArgsSub.class,
          "test")))).containsExactly("-Dsub");
    }

    @Test
    @DisplayName("a declaration from a superclass is named where it is written")
    void inheritedNamedWhereWritten() {
      assertThatThrownBy(() -> plan(Sub.class, "twice"))
          .hasMessageStartingWith("Mount target /meta is declared twice: @Tmpfs(value ="
              + " \"/meta\", mode = \"0755\") on class " + Base.class.getName() + " (inherited by"
              + " Sub, through @MetaTmpfs) and @Tmpfs(value = \"/meta\", mode = \"0755\") on"
              + " method Sub.twice()");
    }

    @Test
    @DisplayName("a declaration through an annotation of the user's names that annotation")
    void namedThroughMetaAnnotation() {
      assertThatThrownBy(() -> plan(Bad.class, "throughMeta"))
          .hasMessage("@Tmpfs on method Bad.throughMeta() (through @RelativeTmpfs): value must be"
              + " an absolute path, but was \"var/lib/app\"; write \"/var/lib/app\"");
    }

    @Test
    @DisplayName("the innermost @IsolatedMounts decides the propagation")
    void innermostPropagation() {
      assertThat(plan(Outer.Inner.class, "unbindable").orElseThrow().propagation())
          .isEqualTo(Propagation.UNBINDABLE);
    }

    @Test
    @DisplayName("paths are normalized")
    void normalized() {
      assertThat(plan(Untidy.class, "test").orElseThrow().mounts())
          .extracting(MountSpec::target).containsExactly("/var/lib/app");
    }
  }

  @Nested
  @DisplayName("rejects a bad declaration, naming annotation, attribute, value and fix")
  class Rejecting {

    @Test
    void relativeTarget() {
      assertThatThrownBy(() -> plan(Bad.class, "relative"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.relative(): value must be an absolute path, but was"
              + " \"var/lib/app\"; write \"/var/lib/app\"");
    }

    @Test
    @DisplayName("an overlay on the kernel's proc file system, on which overlayfs does not stack")
    void overlayOnProc() {
      assertThatThrownBy(() -> plan(Bad.class, "overlayOnProc"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Overlay on method Bad.overlayOnProc(): value must not be on the kernel's"
              + " proc file system, but /proc/sys is: overlayfs does not stack on it; @Bind a"
              + " directory of your own onto /proc/sys, or a file of your own onto each entry the"
              + " test reads");
    }

    @Test
    @DisplayName("a target written for a shell or for Windows gets no \"/\" in front as its fix")
    void shellOrWindowsTarget() {
      assertThatThrownBy(() -> plan(Bad.class, "home"))
          .hasMessage("@Tmpfs on method Bad.home(): value must be an absolute path, but was"
              + " \"~/data\"; \"~\" is not expanded here, as a shell would: write the whole path,"
              + " such as \"/var/lib/app\"");
      assertThatThrownBy(() -> plan(Bad.class, "variable"))
          .hasMessage("@Tmpfs on method Bad.variable(): value must be an absolute path, but was"
              + " \"${HOME}/x\"; variables such as ${HOME} are not expanded here: write the whole"
              + " path, such as \"/var/lib/app\"");
      assertThatThrownBy(() -> plan(Bad.class, "windows"))
          .hasMessage("@Tmpfs on method Bad.windows(): value must be an absolute path, but was"
              + " \"C:\\data\"; it reads as a Windows path: write a Linux one, such as"
              + " \"/var/lib/app\"");
    }

    @Test
    void rootTarget() {
      assertThatThrownBy(() -> plan(Bad.class, "root"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("@Bind on method Bad.root(): target must not be \"/\"")
          .hasMessageContaining("mount a directory below it instead");
    }

    @Test
    void dotDot() {
      assertThatThrownBy(() -> plan(Bad.class, "dotDot"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.dotDot(): value must not contain \"..\", but was"
              + " \"/var/lib/../etc\"; write the path it means without \"..\", for example"
              + " \"/var/etc\"");
    }

    @Test
    @DisplayName("a path that starts or ends with white space, a slip more often than meant")
    void whiteSpace() {
      assertThatThrownBy(() -> plan(Bad.class, "trailingSpace"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.trailingSpace(): value must not start or end with"
              + " white space, but was \"/var/lib/app \"; write \"/var/lib/app\"");
    }

    @Test
    @DisplayName("a source may go up, as a fixture shared by a build's modules does")
    void dotDotInSource() throws IOException {
      Path cwd = Path.of("").toAbsolutePath();
      assertThatThrownBy(() -> plan(Bad.class, "dotDotSource"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("@Bind on method Bad.dotDotSource(): source does not exist: "
              + cwd.getParent().resolve("fixtures") + " (a relative source is resolved");
      assertThat(plan(Bad.class, "dotDotSourceThere").orElseThrow().mounts()).singleElement()
          .extracting(mount -> ((BindSpec) mount).source())
          .isEqualTo(cwd.resolve("src").toRealPath().toString());
    }

    @Test
    void sameTargetTwice() {
      assertThatThrownBy(() -> plan(Twice.class, "test"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("Mount target /var/lib/app is declared twice: @Tmpfs(\"/var/lib/app\") on"
              + " class " + Twice.class.getName() + " and @Bind(source = \""
              + Path.of("src").toAbsolutePath() + "\", target = \"/var/lib/app\") on method"
              + " Twice.test(); a target can be mounted once per test: remove one declaration"
              + " or give it another target");
    }

    @Test
    @DisplayName("two tmpfs alike but for their options, or the way their target is written, are"
        + " told apart by their options")
    void twiceAlike() {
      assertThatThrownBy(() -> plan(Bad.class, "twiceAlike"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("Mount target /var/lib/app is declared twice: @Tmpfs(value ="
              + " \"/var/lib/app\", mode = \"0755\", size = \"1m\") on method Bad.twiceAlike()"
              + " and @Tmpfs(value = \"/var/lib/app\", mode = \"0700\") on method"
              + " Bad.twiceAlike();");
    }

    @Test
    @DisplayName("@Overlay of a directory that does not exist on the host")
    void overlayMissing() {
      assertThatThrownBy(() -> plan(Bad.class, "overlayMissing"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Overlay on method Bad.overlayMissing(): value must be an existing host"
              + " directory, but /no/such/dir does not exist; an overlay shows a host directory"
              + " copy-on-write, so for a new, empty directory use @Tmpfs(\"/no/such/dir\")"
              + " instead");
    }

    @Test
    @DisplayName("@Overlay of a file")
    void overlayFile() {
      assertThatThrownBy(() -> plan(Bad.class, "overlayFile"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Overlay on method Bad.overlayFile(): value must be a directory, but"
              + " /etc/hostname is a file; overlay its directory, /etc, or use @Bind for a"
              + " single file");
    }

    @Test
    @DisplayName("@Overlay of a file in /: the fix is not to overlay /, which is refused")
    void overlayFileInRoot() {
      assertThat(HostTargets.overlayOfAFile("/.dockerenv")).isEqualTo("must be a directory, but"
          + " /.dockerenv is a file; use @Bind for a single file");
    }

    @Test
    @DisplayName("@Overlay and @Tmpfs at one target")
    void overlayAndTmpfs() {
      assertThatThrownBy(() -> plan(Bad.class, "overlayAndTmpfs"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageContaining("Mount target /etc is declared twice: @Tmpfs(\"/etc\") on method"
              + " Bad.overlayAndTmpfs() and @Overlay(\"/etc\") on method Bad.overlayAndTmpfs()");
    }

    @Test
    void missingSource() {
      assertThatThrownBy(() -> plan(Bad.class, "missingSource"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Bind on method Bad.missingSource(): source does not exist: "
              + Path.of("no/such/dir").toAbsolutePath() + " (a relative source is resolved"
              + " against the working directory " + System.getProperty("user.dir")
              + "); create it or correct the path");
    }

    @Test
    void size() {
      assertThatThrownBy(() -> plan(Bad.class, "potatoes"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.potatoes(): size must be a number of bytes with an"
              + " optional k, m or g suffix, either case (\"64k\", \"4m\", \"1g\"), or a"
              + " percentage of RAM up to 999 (\"10%\"), but was \"10 potatoes\"");
    }

    @Test
    @DisplayName("size: a leading 0, which the kernel reads as octal, and past 2^63 bytes")
    void sizeTheKernelMisreads() {
      assertThatThrownBy(() -> plan(Bad.class, "octalSize"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.octalSize(): size must not start with 0, but was"
              + " \"010m\": the kernel reads a leading 0 as an octal number (\"010m\" is 8m,"
              + " \"08m\" an error); write \"10m\"");
      assertThatThrownBy(() -> plan(Bad.class, "hugeSize"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("@Tmpfs on method Bad.hugeSize(): size must be at most 2^63 - 1"
              + " bytes, but was \"17179869184g\", 18446744073709551616 bytes: the kernel");
      assertThatThrownBy(() -> plan(Bad.class, "manyDigits"))
          .hasMessageStartingWith("@Tmpfs on method Bad.manyDigits(): size must be at most 2^63"
              + " - 1 bytes, but was \"99999999999999999999g\"");
      assertThat(plan(Bad.class, "largestSize").orElseThrow().mounts()).singleElement()
          .extracting(mount -> ((TmpfsSpec) mount).size()).isEqualTo("8589934591g");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proc", "dev"})
    @DisplayName("/proc or /dev as a whole, which the child JVM needs")
    void kernelDirectories(String method) {
      assertThatThrownBy(() -> plan(Bad.class, method))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("@" + (method.equals("proc") ? "Tmpfs" : "Bind") + " on method"
              + " Bad." + method + "(): " + (method.equals("proc") ? "value" : "target")
              + " must not be \"/" + method + "\": the child JVM and the isolation's own checks"
              + " need the kernel's /" + method + (method.equals("proc")
                  ? " (/proc/self/mountinfo, /proc/self/fd);" : " (/dev/null, /dev/urandom);"));
    }

    @Test
    void mode() {
      assertThatThrownBy(() -> plan(Bad.class, "mode"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.mode(): mode must be octal permissions such as"
              + " \"0755\" or \"0700\" (digits 0-7 only), but was \"0999\"");
      assertThatThrownBy(() -> plan(Bad.class, "longMode"))
          .hasMessage("@Tmpfs on method Bad.longMode(): mode must be octal permissions such as"
              + " \"0755\" or \"0700\" (three or four digits), but was \"77777\"");
    }

    @Test
    void empty() {
      assertThatThrownBy(() -> plan(Bad.class, "empty"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessageStartingWith("@Tmpfs on method Bad.empty(): value must not be empty");
    }

    @Test
    void controlCharacter() {
      assertThatThrownBy(() -> plan(Bad.class, "newline"))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@Tmpfs on method Bad.newline(): value must not contain control characters,"
              + " but was \"/var/lib/a\\nb\\tc\\u001bd\"");
    }

    @Test
    @DisplayName("an empty entry of jvmArgs, which the java launcher would take for the main class")
    void emptyJvmArg() throws NoSuchMethodException {
      Method method = find(Bad.class, "emptyJvmArg");
      assertThatThrownBy(() -> PlanReader.jvmArguments(Bad.class, Optional.of(method)))
          .isInstanceOf(ExtensionConfigurationException.class)
          .hasMessage("@IsolatedMounts on method Bad.emptyJvmArg(): jvmArgs must not hold an empty"
              + " option, but holds \" \": the java launcher would take it for the name of the main"
              + " class, and the child would not start; remove it");
    }

    @Test
    @DisplayName("a relative target with \".\": the fix suggested is the path it means")
    void relativeWithDot() {
      assertThatThrownBy(() -> plan(Bad.class, "dotRelative"))
          .hasMessage("@Tmpfs on method Bad.dotRelative(): value must be an absolute path, but"
              + " was \"./var/lib/app\"; write \"/var/lib/app\"");
    }

    @Test
    @DisplayName("a relative \".\": the fix suggested is not \"/\", which is refused too")
    void dot() {
      assertThatThrownBy(() -> plan(Bad.class, "dot"))
          .hasMessage("@Tmpfs on method Bad.dot(): value must be an absolute path, but was"
              + " \"./\"; write one such as \"/var/lib/app\"");
    }

    @Test
    @DisplayName("a name or a path longer than the kernel takes")
    void tooLong() {
      assertThatThrownBy(() -> plan(Bad.class, "longName"))
          .hasMessage("@Tmpfs on method Bad.longName(): value must not have a name longer than"
              + " 255 bytes, as the kernel takes a file name, but \"nnnnnnnnnnnnnnnn…\" is 256"
              + " bytes long");
      assertThatThrownBy(() -> plan(Bad.class, "longPath"))
          .hasMessage("@Tmpfs on method Bad.longPath(): value must be at most 4095 bytes long,"
              + " as the kernel takes a path, but was 4096 bytes long");
    }
  }

  static class Plain {
    void test() {}
  }

  @IsolatedMounts(propagation = Propagation.SLAVE)
  static class SettingsOnly {
    void test() {}
  }

  static class MethodTmpfs {
    @Tmpfs("/var/lib/app")
    void isolated() {}

    void plain() {}
  }

  @Tmpfs(value = "/var/lib/app", size = "4m", mode = "0700")
  @Bind(source = "src", target = "/etc/app", readOnly = true)
  static class ClassAndMethod {
    @Tmpfs("/var/lib/app/a/b")
    @Tmpfs("/var/lib/app/cache")
    void test() {}
  }

  @Tmpfs("/var/lib/app/cache")
  static class ChildDeclaredFirst {
    @Tmpfs("/srv")
    @Tmpfs("/var/lib/app")
    void test() {}
  }

  @Tmpfs("/outer")
  static class Outer {
    @IsolatedMounts(propagation = Propagation.SHARED)
    @Tmpfs("/inner")
    class Inner {
      void test() {}

      @IsolatedMounts(propagation = Propagation.UNBINDABLE)
      void unbindable() {}
    }
  }

  @IsolatedMounts(jvmArgs = "-Douter")
  static class JvmArgsOuter {
    @IsolatedMounts(jvmArgs = "-Dinner")
    class Inner {
      @IsolatedMounts(jvmArgs = "-Dmethod")
      void test() {}
    }
  }

  @IsolatedMounts(jvmArgs = "-Dbase")
  static class JvmArgsBase {}

  @IsolatedMounts(jvmArgs = "-Dsub")
  static class JvmArgsSub extends JvmArgsBase {
    void test() {}
  }

  @Retention(RetentionPolicy.RUNTIME)
  @Tmpfs("/meta")
  @interface MetaTmpfs {}

  @Retention(RetentionPolicy.RUNTIME)
  @Tmpfs("var/lib/app")
  @interface RelativeTmpfs {}

  @MetaTmpfs
  static class Base {}

  static class Sub extends Base {
    void test() {}

    @Tmpfs("/meta")
    void twice() {}
  }

  @Tmpfs("/var//lib/./app/")
  static class Untidy {
    void test() {}
  }

  @Tmpfs("/var/lib/app")
  static class Twice {
    @Bind(source = "src", target = "/var/lib/app")
    void test() {}
  }

  @Overlay("/etc")
  static class Overlays {
    @Overlay("/usr//share/")
    void test() {}
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class Hermetic {
    void test() {}

    @IsolatedMounts(trapExit = true, keepOnFailure = true)
    void trapping() {}
  }

  static final String N16 = "nnnnnnnnnnnnnnnn";
  static final String N255 = N16 + N16 + N16 + N16 + N16 + N16 + N16 + N16 + N16 + N16 + N16 + N16
      + N16 + N16 + N16 + "nnnnnnnnnnnnnnn";
  /** 1024 bytes: "/" and a name of 255, four times. */
  static final String P1024 = "/" + N255 + "/" + N255 + "/" + N255 + "/" + N255;

  static class Bad {
    @Overlay("/no/such/dir")
    void overlayMissing() {}

    @Overlay("/etc/hostname")
    void overlayFile() {}

    @Overlay("etc")
    void overlayRelative() {}

    @Tmpfs("/etc")
    @Overlay("/etc")
    void overlayAndTmpfs() {}

    @Tmpfs("var/lib/app")
    void relative() {}

    @Tmpfs("~/data")
    void home() {}

    @Overlay("/proc/sys")
    void overlayOnProc() {}

    @RelativeTmpfs
    void throughMeta() {}

    @Tmpfs(value = "/var/lib/app", size = "1m")
    @Tmpfs(value = "/var/lib/app/", mode = "0700")
    void twiceAlike() {}

    @Tmpfs("${HOME}/x")
    void variable() {}

    @Tmpfs("C:\\data")
    void windows() {}

    @Tmpfs(value = "/var/lib/app", mode = "77777")
    void longMode() {}

    @Tmpfs(value = "/var/lib/app", size = "99999999999999999999g")
    void manyDigits() {}

    @Bind(source = "src", target = "/")
    void root() {}

    @Tmpfs("/var/lib/../etc")
    void dotDot() {}

    @Bind(source = "../fixtures", target = "/etc/app")
    void dotDotSource() {}

    @Tmpfs("/var/lib/app ")
    void trailingSpace() {}

    @Bind(source = "../extension/src", target = "/etc/app")
    void dotDotSourceThere() {}

    @Bind(source = "no/such/dir", target = "/etc/app")
    void missingSource() {}

    @Tmpfs(value = "/var/lib/app", size = "10 potatoes")
    void potatoes() {}

    @Tmpfs(value = "/var/lib/app", mode = "0999")
    void mode() {}

    @Tmpfs(value = "/var/lib/app", size = "010m")
    void octalSize() {}

    @Tmpfs(value = "/var/lib/app", size = "17179869184g")
    void hugeSize() {}

    @Tmpfs(value = "/var/lib/app", size = "8589934591g")
    void largestSize() {}

    @Tmpfs("/proc/")
    void proc() {}

    @Bind(source = "src", target = "/dev")
    void dev() {}

    @Tmpfs("")
    void empty() {}

    @Tmpfs("/var/lib/a\nb\tc\u001bd")
    void newline() {}

    @Tmpfs("./var/lib/app")
    void dotRelative() {}

    @IsolatedMounts(jvmArgs = {"-Xmx64m", " "})
    void emptyJvmArg() {}

    @Tmpfs("./")
    void dot() {}

    @Tmpfs("/var/lib/" + N255 + "n")
    void longName() {}

    @Tmpfs(P1024 + P1024 + P1024 + P1024)
    void longPath() {}
  }
}
