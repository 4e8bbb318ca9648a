package dev.isolatedmounts.internal.child;

import java.io.IOException;

/**
 * The entry point of the child that trains the archive of the children's classes: a child like
 * any other, under a name of its own, so that process lists tell it from the children of tests.
 * It runs in the background, and a JDK 25 child takes seconds to write its cache at exit.
 */
public final class TrainingMain {

  private TrainingMain() {}

  public static void main(String[] args) throws IOException {
    ChildMain.main(args);
  }
}
