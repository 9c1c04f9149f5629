package dev.omem.service;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.IngestTaskRepository;
import dev.omem.store.StoreUpkeep;
import java.util.function.Supplier;

/** {@link ServerProbe} over the local parts: the store, its index and its ingest queue. */
final class StoreProbe implements ServerProbe {
  private final StoreUpkeep store;
  private final Supplier<IndexSynchronizer> index;
  private final IngestTaskRepository tasks;

  StoreProbe(StoreUpkeep store, Supplier<IndexSynchronizer> index, IngestTaskRepository tasks) {
    this.store = store;
    this.index = index;
    this.tasks = tasks;
  }

  @Override
  public void checkStorage() {
    try {
      store.schemaVersion(); // one round trip to the store
    } catch (RuntimeException e) {
      throw new OmemException(
          ErrorCode.UNAVAILABLE, "the store does not answer: " + e.getMessage());
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
  public void bindStoreMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    store.bindMetrics(registry);
  }
}
