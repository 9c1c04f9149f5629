package dev.omem.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ClusterLock} for a store only this process opens (SQLite, whose data directory lock keeps
 * others out): a lock per name in memory.
 */
public final class InProcessClusterLock implements ClusterLock {
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  @Override
  public boolean runExclusively(String name, Runnable work) {
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    if (!lock.tryLock()) {
      return false;
    }
    try {
      work.run();
      return true;
    } finally {
      lock.unlock();
    }
  }
}
