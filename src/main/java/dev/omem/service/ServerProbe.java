package dev.omem.service;

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

  /**
   * Registers the store's own meters with registry: its connection pool's when it has one, and the
   * replication lag of other nodes' writes.
   */
  void bindStoreMetrics(io.micrometer.core.instrument.MeterRegistry registry);
}
