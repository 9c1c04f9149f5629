package dev.omem.store;

import dev.omem.domain.HistoryEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Imports: one row per import with its progress, and the memories each one created; plus the
 * look-ups an import needs to skip what the store already holds. The writes join the transaction of
 * a {@link MemoryRepository#apply} they are called from.
 */
public interface ImportRepository {
  /** An import as stored; {@code errorsJson} is a JSON array of {@code {index, message}}. */
  record ImportRow(
      String id,
      String tenantId,
      String fileType,
      String fileName,
      String strategy,
      String status,
      int totalItems,
      int processed,
      int imported,
      int skipped,
      String errorsJson,
      String taskId,
      Instant createdAt,
      Instant updatedAt) {}

  void create(ImportRow r);

  /** Writes the progress and outcome fields of {@code r}. */
  void update(ImportRow r);

  /** Records that import {@code importId} created these memories. */
  void addItems(String importId, Collection<String> memoryIds);

  /**
   * Replaces the history of a restored memory with the file's steps: a forced omem import rewrites
   * a memory as the file has it, past included.
   */
  void replaceHistory(String tenantId, String memoryId, List<HistoryEntry> steps);

  Optional<ImportRow> find(String tenantId, String id);

  /** The tenant's imports, newest first. */
  List<ImportRow> list(String tenantId, int limit);

  /** The memories import {@code importId} created. */
  List<String> items(String importId);

  /** Marks imports still running as failed: the process that ran them stopped (at start-up). */
  int failRunning(Instant at);

  /** Which of these content hashes the tenant already holds in a memory not deleted. */
  Set<String> existingHashes(String tenantId, Collection<String> hashes);

  /** Which of these ids exist, in any tenant (ids are the table's key). */
  Set<String> existingIds(Collection<String> ids);

  /** The OMP ids kept in the provenance of the tenant's memories that are not deleted. */
  Set<String> ompIds(String tenantId);
}
