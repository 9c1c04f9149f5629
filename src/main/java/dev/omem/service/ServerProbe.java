package dev.omem.service;

import java.util.Optional;

/**
 * What a server's operations routes ask of the store behind it ({@code /ready}, {@code /metrics}):
 * whether it answers, how far the index trails the change log, and how much work waits.
 */
public interface ServerProbe {
  /** Throws an {@link dev.omem.domain.OmemException} when the store does not answer. */
  void checkStorage();

  /** Change-log entries this node's index has not applied yet. */
  long indexLag();

  /** Ingest tasks pending or running. */
  long ingestQueueDepth();

  /** The store's connection pool now; empty for a store without one. */
  Optional<Pool> poolUse();

  /** A connection pool's use: connections in use, idle, the most it opens, callers waiting. */
  record Pool(int active, int idle, int max, int waiting) {}
}
