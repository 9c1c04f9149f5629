package dev.omem.store;

import dev.omem.domain.HistoryEntry;
import java.util.List;

/** Memories' history steps: appended by {@link MemoryRepository#apply}, read for one memory. */
public interface HistoryRepository {
  /** The history of one memory of {@code tenantId}, oldest step first. */
  List<HistoryEntry> of(String tenantId, String memoryId);
}
