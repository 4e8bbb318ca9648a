package dev.isolatedmounts.internal.junit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.UniqueId;

/**
 * The keys of the configuration parameters a suite gives the tests it runs
 * ({@code @ConfigurationParameter}, {@code @ConfigurationParametersResource}): the suite engine
 * gives them to a launcher of its own, whose keys the session listener never sees (see {@link
 * LauncherSettings}). Read from the suite classes the test's unique id names. Told by the
 * annotations' names: the suite API is the user's dependency, not this extension's.
 */
final class SuiteParameters {

  private static final String PARAMETER = "org.junit.platform.suite.api.ConfigurationParameter";
  private static final String RESOURCE =
      "org.junit.platform.suite.api.ConfigurationParametersResource";

  private SuiteParameters() {}

  /** The keys of every suite {@code uniqueId} runs in, outermost first; none outside a suite. */
  static Set<String> keys(String uniqueId, ClassLoader loader) {
    Set<String> keys = new TreeSet<>();
    for (UniqueId.Segment segment : UniqueId.parse(uniqueId).getSegments()) {
      if (segment.getType().equals("suite")) {
        try {
          Class<?> suite = Class.forName(segment.getValue(), false, loader);
          for (Annotation parameter : annotations(suite, PARAMETER, loader)) {
            keys.add((String) value(parameter, "key"));
          }
          for (Annotation resource : annotations(suite, RESOURCE, loader)) {
            keys.addAll(resourceKeys((String) value(resource, "value"), loader));
          }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          // a suite not to be read here: its own keys stay the suite engine's
        }
      }
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static List<Annotation> annotations(AnnotatedElement suite, String name,
      ClassLoader loader) throws ClassNotFoundException {
    Class<? extends Annotation> type =
        (Class<? extends Annotation>) Class.forName(name, false, loader);
    return List.copyOf(AnnotationSupport.findRepeatableAnnotations(suite, type));
  }

  private static Object value(Annotation annotation, String attribute)
      throws ReflectiveOperationException {
    return annotation.annotationType().getMethod(attribute).invoke(annotation);
  }

  private static Set<String> resourceKeys(String resource, ClassLoader loader) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    Properties properties = new Properties();
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException | RuntimeException e) {
      // the suite engine reports a resource it cannot read
    }
    return properties.stringPropertyNames();
  }
}
