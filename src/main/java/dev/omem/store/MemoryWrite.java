package dev.omem.store;

import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one logical write changes, applied by {@link MemoryRepository#apply} in a single
 * transaction: new memories, rewritten ones, and the history steps that explain them.
 */
public final class MemoryWrite {
  /** A memory row rewritten; with {@code contentChanged} its vector is replaced (null: later). */
  public record Rewrite(Memory memory, boolean contentChanged, float[] vector, String model) {}

  /** One history step of one memory. */
  public record HistoryRow(String memoryId, String tenantId, HistoryEntry entry) {}

  private final List<StoredMemory> inserts = new ArrayList<>();
  private final List<Rewrite> rewrites = new ArrayList<>();
  private final List<HistoryRow> history = new ArrayList<>();

  /** A write of new memories only (a bulk load). */
  public static MemoryWrite insertAll(List<StoredMemory> rows) {
    MemoryWrite w = new MemoryWrite();
    rows.forEach(w::insert);
    return w;
  }

  public MemoryWrite insert(StoredMemory row) {
    inserts.add(row);
    return this;
  }

  public MemoryWrite rewrite(Memory m, boolean contentChanged, float[] vector, String model) {
    rewrites.add(new Rewrite(m, contentChanged, vector, model));
    return this;
  }

  /** Rewrites {@code m} keeping its vector. */
  public MemoryWrite rewrite(Memory m) {
    return rewrite(m, false, null, null);
  }

  public MemoryWrite history(Memory m, HistoryEntry entry) {
    history.add(new HistoryRow(m.id(), m.tenantId(), entry));
    return this;
  }

  public List<StoredMemory> inserts() {
    return List.copyOf(inserts);
  }

  public List<Rewrite> rewrites() {
    return List.copyOf(rewrites);
  }

  public List<HistoryRow> historyRows() {
    return List.copyOf(history);
  }

  public boolean isEmpty() {
    return inserts.isEmpty() && rewrites.isEmpty() && history.isEmpty();
  }

  /** Whether a memory was stored or rewritten without its vector (the backfill must run). */
  public boolean needsVectors() {
    return inserts.stream().anyMatch(r -> r.vector() == null)
        || rewrites.stream().anyMatch(r -> r.contentChanged() && r.vector() == null);
  }
}
