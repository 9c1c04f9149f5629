package dev.omem.service;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.index.IndexSynchronizer;
import dev.omem.index.ReplicationLag;
import dev.omem.store.IngestTaskRepository;
import dev.omem.store.StoreUpkeep;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@link ServerProbe} over the local parts: the store, its index and its ingest queue. */
final class StoreProbe implements ServerProbe {
  /**
   * Buckets around issue 16's goal (searchable on every node within 1 s), fine enough below it for
   * histogram_quantile's p50 and p99 over several nodes ({@code scripts/bench-serve --team}).
   */
  private static final Duration[] LAG_BUCKETS =
      java.util.stream.LongStream.of(
              5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1_000, 1_500, 2_000, 3_000,
              5_000, 10_000, 30_000)
          .mapToObj(Duration::ofMillis)
          .toArray(Duration[]::new);

  private final StoreUpkeep store;
  private final Supplier<IndexSynchronizer> index;
  private final IngestTaskRepository tasks;
  private final ReplicationLag replicationLag;

  StoreProbe(
      StoreUpkeep store,
      Supplier<IndexSynchronizer> index,
      IngestTaskRepository tasks,
      ReplicationLag replicationLag) {
    this.store = store;
    this.index = index;
    this.tasks = tasks;
    this.replicationLag = replicationLag;
  }

  @Override
  public void checkStorage() {
    try {
      store.schemaVersion(); // one round trip to the store
    } catch (RuntimeException first) {
      // A pooled connection the database closed (a restart) fails once and is dropped from the
      // pool: asking again tells whether the database answers, not whether the pool was stale
      // (CI saw /ready stay 503 after PostgreSQL came back, PostgresReadyHttpTest).
      try {
        store.schemaVersion();
      } catch (RuntimeException e) {
        throw new OmemException(
            ErrorCode.UNAVAILABLE, "the store does not answer: " + e.getMessage());
      }
    }
  }

  @Override
  public long indexLag() {
    return index.get().lag();
  }

  @Override
  public long ingestQueueDepth() {
    return tasks.unfinished().size();
  }

  @Override
  public void bindStoreMetrics(MeterRegistry registry) {
    store.bindMetrics(registry);
    Timer lag =
        Timer.builder("omem.index.replication.lag")
            .description(
                "from another node's change-log entry (the database's clock) to the reader"
                    + " refresh that made it searchable here")
            .serviceLevelObjectives(LAG_BUCKETS)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    replicationLag.reportTo(ms -> lag.record(ms, TimeUnit.MILLISECONDS));
  }
}
