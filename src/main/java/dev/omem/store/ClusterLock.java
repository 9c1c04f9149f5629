package dev.omem.store;

/**
 * Background work that must run once per cluster, not once per node (the decay pass, purges,
 * backups): the node that gets the lock does it, the others skip that round.
 */
public interface ClusterLock {
  /**
   * Runs {@code work} if no process of the cluster runs work under {@code name} now; returns
   * whether it ran. Never waits for the lock.
   */
  boolean runExclusively(String name, Runnable work);
}
