package dev.isolatedmounts.it;

import java.util.concurrent.atomic.AtomicInteger;

/** A Java agent that counts how often its JVM loaded it: once, or an option was given twice. */
public final class CountingAgent {

  public static final AtomicInteger PREMAINS = new AtomicInteger();

  private CountingAgent() {}

  public static void premain(String arguments) {
    PREMAINS.incrementAndGet();
  }
}
