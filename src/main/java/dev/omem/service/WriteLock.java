package dev.omem.service;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock every write of memories takes ({@link MemoryWriter}): a check and the write it
 * decides (is this text stored yet? which neighbours does a fact reconcile against? has this copy
 * been made?) happen with no other write in between. Reentrant, so a step that commits through the
 * writer may itself run inside a held section. Reads never take it.
 */
final class WriteLock {
  private final ReentrantLock lock = new ReentrantLock();

  /** Runs {@code work} holding the lock; returns what it returns. */
  <T> T hold(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} holding the lock. */
  void hold(Runnable work) {
    hold(
        () -> {
          work.run();
          return null;
        });
  }
}
