package dev.isolatedmounts.internal.fork;

/** Threads that watch a child: daemons, so a child left behind never keeps this JVM alive. */
final class Daemon {

  private Daemon() {}

  static void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
