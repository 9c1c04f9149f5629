package dev.omem.service;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Forgetting: one memory, a batch by ids or by filter, a whole partition. Every deletion is a soft
 * delete through {@link MemoryEdits} (kept in history, restorable), so it goes through the one
 * write path.
 */
final class MemoryDeletions {
  private final MemoryRepository repo;
  private final MemoryEdits edits;
  private final BiFunction<Caller, String, Memory> findWritable;

  MemoryDeletions(
      MemoryRepository repo, MemoryEdits edits, BiFunction<Caller, String, Memory> findWritable) {
    this.repo = repo;
    this.edits = edits;
    this.findWritable = findWritable;
  }

  /** Forgets one memory the caller may write (already forgotten: the same answer). */
  ForgetResult forget(Caller caller, String rawId) {
    String id = RequestValidator.id(rawId);
    Memory old = findWritable.apply(caller, id);
    if (old.state() != MemoryState.DELETED) {
      edits.update(
          caller, new UpdateRequest(id, null, null, null, null, MemoryState.DELETED.wire()));
    }
    return new ForgetResult(id, "deleted");
  }

  /** A batch of {@code tenant}'s memories, by ids, or by a filter (counted unless confirmed). */
  BatchDeleteResult batchDelete(String tenant, BatchDeleteRequest r) {
    if (r.memoryIds() != null && !r.memoryIds().isEmpty()) {
      if (r.memoryIds().size() > Limits.MAX_BATCH_IDS) {
        throw OmemException.invalid(
            r.memoryIds().size() + " memory_ids given; at most " + Limits.MAX_BATCH_IDS);
      }
      List<String> ids = r.memoryIds().stream().map(RequestValidator::id).distinct().toList();
      List<Memory> found = new ArrayList<>();
      for (String id : ids) {
        repo.find(tenant, id).ifPresent(found::add);
      }
      return new BatchDeleteResult(edits.softDelete(found), null, "ids");
    }
    List<Memory> matching =
        repo.list(filter(tenant, r), ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0).memories();
    if (!r.confirm()) {
      return new BatchDeleteResult(null, (long) matching.size(), "filter");
    }
    return new BatchDeleteResult(edits.softDelete(matching), null, "filter");
  }

  /** Soft-deletes every memory of a partition (a tenant's, or a deleted space's); how many. */
  long deleteAll(String partition) {
    return edits.softDelete(
        repo.list(MemoryFilter.keptOf(partition), ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0)
            .memories());
  }

  private static MemoryFilter filter(String tenant, BatchDeleteRequest r) {
    if (r.source() == null
        && r.tags() == null
        && r.category() == null
        && r.memoryType() == null
        && r.state() == null
        && r.before() == null) {
      throw OmemException.invalid(
          "give memory_ids, or a filter with at least one of source, tags, category, memory_type,"
              + " state, before");
    }
    MemoryType type = r.memoryType() == null ? null : RequestValidator.memoryType(r.memoryType());
    return MemoryFilter.builder(tenant)
        .tags(RequestValidator.tags(r.tags()))
        .categories(
            r.category() == null ? Set.of() : Set.of(RequestValidator.category(r.category())))
        .states(
            r.state() == null
                ? Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED)
                : Set.of(RequestValidator.state(r.state())))
        .memoryType(type)
        .source(r.source())
        .createdBefore(r.before())
        .build();
  }
}
