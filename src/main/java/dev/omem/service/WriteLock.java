package dev.omem.service;

import dev.omem.store.MemoryRepository;
import java.util.ArrayList;
import java.util.List;
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
  private final Runnable beforeLocking;
  private final MemoryRepository durability;

  /**
   * @param beforeLocking slow work a held section may need, done before the lock is taken, never
   *     under it (the injection screen embeds its exemplars on first use: about a third of a
   *     core-second that would otherwise stall every other write)
   * @param durability where the writes are committed: what a section commits is made durable once
   *     the lock is released
   */
  WriteLock(Runnable beforeLocking, MemoryRepository durability) {
    this.beforeLocking = beforeLocking;
    this.durability = durability;
  }

  /** What the holder asked to run once it releases the lock; touched by the holder only. */
  private List<Runnable> afterRelease = new ArrayList<>();

  /**
   * Runs {@code work} holding the lock; returns what it returns. The outermost section's commits
   * are made durable after the lock is released and before it returns (group commit: the writers
   * that queued meanwhile share one fsync, and none holds the lock through it).
   */
  <T> T hold(Supplier<T> work) {
    if (lock.isHeldByCurrentThread()) {
      return held(work);
    }
    beforeLocking.run();
    return durability.durableAfter(() -> held(work));
  }

  private <T> T held(Supplier<T> work) {
    lock.lock();
    List<Runnable> after = List.of();
    try {
      return work.get();
    } finally {
      if (lock.getHoldCount() == 1 && !afterRelease.isEmpty()) {
        after = afterRelease;
        afterRelease = new ArrayList<>();
      }
      lock.unlock();
      after.forEach(Runnable::run); // also when work threw: what it committed is committed
    }
  }

  /**
   * Runs {@code step} on this thread once its outermost held section ends (at once when it holds no
   * lock): work a write needs before its caller is answered but the next writer need not wait for
   * (the index catching up).
   */
  void afterRelease(Runnable step) {
    if (lock.isHeldByCurrentThread()) {
      afterRelease.add(step);
    } else {
      step.run();
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
