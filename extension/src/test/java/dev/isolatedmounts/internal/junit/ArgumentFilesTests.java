package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import dev.isolatedmounts.internal.plan.TmpfsSpec;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.provider.CsvFileSource;

@DisplayName("ArgumentFiles: a @CsvFileSource file JUnit would read on the host")
class ArgumentFilesTests {

  @Test
  @DisplayName("below a tmpfs or a bind of another directory: refused")
  void refused() throws Exception {
    assertThatThrownBy(() -> check("absolute", new TmpfsSpec("/etc/app", null, -1)))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageStartingWith("@CsvFileSource(files = \"/etc/app/cases.csv\") on method m()");
    assertThatThrownBy(() -> check("absolute",
        new BindSpec("/srv/fixtures", "/etc/app", true)))
        .hasMessageEndingWith("Name the file in the bind's source, files ="
            + " \"/srv/fixtures/cases.csv\", or on the class path, with resources = ...");
    // Relative to the working directory, where a target may lie too.
    Path working = Path.of("").toAbsolutePath();
    assertThatThrownBy(() -> check("relative", new TmpfsSpec(working + "/data", null, -1)))
        .hasMessageContaining("lies below @Tmpfs(\"" + working + "/data\")");
  }

  @Test
  @DisplayName("where the child sees the host's file all the same: taken")
  void taken() {
    // An overlay's lower layer is the host's directory.
    assertThatCode(() -> check("absolute", new OverlaySpec("/etc/app"))).doesNotThrowAnyException();
    // A directory bound onto itself, made read-only.
    assertThatCode(() -> check("absolute", new BindSpec("/etc/app", "/etc/app", true)))
        .doesNotThrowAnyException();
    // Outside every target.
    assertThatCode(() -> check("absolute", new TmpfsSpec("/etc/other", null, -1)))
        .doesNotThrowAnyException();
  }

  private static void check(String method, MountSpec mount) throws NoSuchMethodException {
    Method element = Fixture.class.getDeclaredMethod(method, String.class);
    ArgumentFiles.refuseBelowTargets(element, new MountPlan(Propagation.PRIVATE, List.of(mount)),
        "method m()");
  }

  static class Fixture {
    @CsvFileSource(files = "/etc/app/cases.csv")
    void absolute(String value) {}

    @CsvFileSource(files = "data/cases.csv")
    void relative(String value) {}
  }
}
