package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("UnknownSettings: an isolatedmounts.* key that is no setting")
class UnknownSettingsTests {

  private static final String SETTINGS = "The settings are isolatedmounts.cacheDir,"
      + " isolatedmounts.cds, isolatedmounts.connectTimeout, isolatedmounts.debug,"
      + " isolatedmounts.defaultJvmArgs, isolatedmounts.jvmArgs, isolatedmounts.keepOnFailure,"
      + " isolatedmounts.pool, isolatedmounts.timeout, isolatedmounts.unshare,"
      + " isolatedmounts.unsupported.";

  @Test
  @DisplayName("is named with where it was found, the setting it likely meant, and them all")
  void misspelled() {
    assertThat(UnknownSettings.problem(Map.of("isolatedmounts.jvmargs", "a system property")))
        .contains("Configuration parameter isolatedmounts.jvmargs (a system property; did you"
            + " mean isolatedmounts.jvmArgs?) is not a setting of isolated-mounts and would be"
            + " ignored: correct or remove it. " + SETTINGS);
  }

  @Test
  @DisplayName("also with the prefix misspelt, in case or punctuation")
  void misspeltPrefix() {
    Map<String, String> found = new LinkedHashMap<>();
    found.put("isolatedMounts.timeout", "a system property");
    found.put("isolated-mounts.jvmArgs", "a system property");
    found.put("isolated_mount.pool", "a system property");
    assertThat(UnknownSettings.problem(found)).contains("Configuration parameters"
        + " isolatedMounts.timeout (a system property; did you mean isolatedmounts.timeout?),"
        + " isolated-mounts.jvmArgs (a system property; did you mean isolatedmounts.jvmArgs?),"
        + " isolated_mount.pool (a system property; did you mean isolatedmounts.pool?) are not"
        + " settings of isolated-mounts and would be ignored: correct or remove them. "
        + SETTINGS);
  }

  @Test
  @DisplayName("given to the launcher, named as such; given as a system property too, named so")
  void launcherParameters() {
    System.setProperty("isolatedmounts.timout", "1s");
    try {
      assertThat(UnknownSettings.find(null, Set.of("isolatedmounts.pol", "isolatedmounts.timout",
          "isolatedmounts.pool")))
          .get(InstanceOfAssertFactories.STRING)
          .contains("isolatedmounts.pol (a configuration parameter given to the launcher; did"
              + " you mean isolatedmounts.pool?)")
          .contains("isolatedmounts.timout (a system property; did you mean"
              + " isolatedmounts.timeout?)")
          .doesNotContain("isolatedmounts.pool (");
    } finally {
      System.clearProperty("isolatedmounts.timout");
    }
  }

  @Test
  @DisplayName("in a file a build copied, named with the file to correct")
  void copiedFile() throws Exception {
    assertThat(UnknownSettings.fileSource(java.net.URI.create(
        "file:/work/app/target/test-classes/junit-platform.properties").toURL()))
        .isEqualTo("in file:/work/app/target/test-classes/junit-platform.properties, the build's"
            + " copy of src/test/resources/junit-platform.properties");
    assertThat(UnknownSettings.fileSource(java.net.URI.create(
        "file:/work/app/build/resources/main/junit-platform.properties").toURL()))
        .endsWith(", the build's copy of src/main/resources/junit-platform.properties");
    assertThat(UnknownSettings.fileSource(java.net.URI.create(
        "file:/work/app/config/junit-platform.properties").toURL()))
        .isEqualTo("in file:/work/app/config/junit-platform.properties");
    assertThat(UnknownSettings.fileSource(java.net.URI.create(
        "jar:file:/m2/settings.jar!/junit-platform.properties").toURL()))
        .isEqualTo("in jar:file:/m2/settings.jar!/junit-platform.properties");
  }

  @Test
  @DisplayName("several, one without a likely meaning")
  void several() {
    Map<String, String> found = new LinkedHashMap<>();
    found.put("isolatedmounts.timout", "a system property");
    found.put("isolatedmounts.speed", "in file:/x/junit-platform.properties");
    assertThat(UnknownSettings.problem(found)).contains("Configuration parameters"
        + " isolatedmounts.timout (a system property; did you mean isolatedmounts.timeout?),"
        + " isolatedmounts.speed (in file:/x/junit-platform.properties) are not settings of"
        + " isolated-mounts and would be ignored: correct or remove them. " + SETTINGS);
  }

  @Test
  @DisplayName("settings, what the extension sets for its children, and other keys pass")
  void known() {
    Map<String, String> found = new LinkedHashMap<>();
    UnknownSettings.KNOWN.forEach(key -> found.put(key, "a system property"));
    found.put("isolatedmounts.child.test", "a system property");
    found.put("junit.jupiter.execution.timeout.default", "a system property");
    found.put("isolatedmountsX", "a system property");
    found.put("isolated-mounts.version", "a system property"); // a build's property for it
    assertThat(UnknownSettings.problem(found)).isEmpty();
  }

  /** A setting read somewhere but missing from the list would be reported as misspelled. */
  @Test
  @DisplayName("lists every setting the extension reads")
  void everySetting() throws IllegalAccessException {
    List<String> read = new ArrayList<>();
    for (Class<?> reader : List.of(ChildSettings.class, KeptArtifacts.class)) {
      for (Field field : reader.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          field.setAccessible(true);
          String value = (String) field.get(null);
          if (value.startsWith("isolatedmounts.") && !value.startsWith("isolatedmounts.child.")) {
            read.add(value);
          }
        }
      }
    }
    assertThat(read).hasSize(11);
    assertThat(UnknownSettings.KNOWN).containsExactlyInAnyOrderElementsOf(read);
  }
}
