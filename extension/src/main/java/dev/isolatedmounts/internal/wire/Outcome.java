package dev.isolatedmounts.internal.wire;

/** How the test in the child ended, as JUnit's {@code TestExecutionResult.Status} says it. */
public enum Outcome {

  /** The test passed. */
  SUCCESSFUL,

  /** The test failed. */
  FAILED,

  /** The test was aborted, for example by a failed assumption. */
  ABORTED
}
