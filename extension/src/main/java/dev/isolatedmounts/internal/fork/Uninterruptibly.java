package dev.isolatedmounts.internal.fork;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for a process being started however long its start takes (it has its own time limits):
 * one not waited for would be left running, with nobody to close it. An interrupt is kept for the
 * caller, whose next wait sees it.
 */
final class Uninterruptibly {

  private Uninterruptibly() {}

  static <T> T get(Future<T> future) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
