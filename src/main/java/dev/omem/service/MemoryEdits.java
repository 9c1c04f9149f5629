package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.domain.Tier;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.lifecycle.Expiry;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Edits of stored memories through {@link MemoryWriter}: {@code update} (fields, state: forget and
 * restore, confirm) and soft deletes in bulk. Each reads the row again under the write lock, so an
 * edit never writes back a copy another writer changed meanwhile.
 */
final class MemoryEdits {
  private final MemoryRepository repo;
  private final MemoryWriter writer;
  private final EmbeddingProvider embeddings;
  private final TrustScreen screen;
  private final Clock clock;
  private final BiFunction<Caller, String, Memory> findWritable;

  MemoryEdits(
      MemoryRepository repo,
      MemoryWriter writer,
      EmbeddingProvider embeddings,
      TrustScreen screen,
      Clock clock,
      BiFunction<Caller, String, Memory> findWritable) {
    this.repo = repo;
    this.writer = writer;
    this.embeddings = embeddings;
    this.screen = screen;
    this.clock = clock;
    this.findWritable = findWritable;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  Memory update(Caller caller, UpdateRequest r) {
    String id = RequestValidator.id(r.id());
    String content = r.content() == null ? null : RequestValidator.content(r.content());
    List<String> tags = r.tags() == null ? null : RequestValidator.tags(r.tags());
    Category category = r.category() == null ? null : RequestValidator.category(r.category());
    MemoryState state = r.state() == null ? null : RequestValidator.state(r.state());
    Tier tier = r.tier() == null ? null : RequestValidator.tier(r.tier());
    Double importance =
        r.importance() == null ? null : RequestValidator.unit("importance", r.importance(), 0.5);
    if (Boolean.FALSE.equals(r.confirm())) {
      throw OmemException.invalid(
          "confirm can only be true: it confirms a candidate; to drop a memory, forget it");
    }
    Long expected = r.expectedVersion();
    if (expected != null && expected < 1) {
      throw OmemException.invalid(
          "version must be 1 or more (versions start at 1), got " + expected);
    }
    boolean confirm = Boolean.TRUE.equals(r.confirm());
    boolean onlyConfirm =
        content == null
            && tags == null
            && category == null
            && state == null
            && importance == null
            && tier == null;
    if (onlyConfirm && !confirm) {
      throw OmemException.invalid(
          "nothing to update: give at least one of content, tags, category, importance, state,"
              + " tier, confirm");
    }
    Memory first = checked(findWritable.apply(caller, id), state);
    // Checked here to fail before the embedding, and again under the lock, where it counts.
    VersionConflict.check(id, expected, first.version());
    if (confirm && onlyConfirm) { // a confirmation keeps the version: the check above suffices
      return writer.confirm(caller, first, Confirmation.CONFIRMED);
    }
    // Embedded outside the lock (the slow part): the vector depends on the new text only.
    Optional<Embedder> e =
        content != null && !content.equals(first.content())
            ? embeddings.ifReady()
            : Optional.empty();
    float[] embedded = e.map(x -> x.embedDocument(content)).orElse(null);
    String model = e.map(Embedder::vectorModel).orElse(null);
    return writer.locked(
        () -> {
          Memory old = checked(findWritable.apply(caller, id), state);
          // Two writers who read the same version: the second to take the lock sees the first's.
          VersionConflict.check(id, expected, old.version());
          boolean contentChanged = content != null && !content.equals(old.content());
          float[] vector = contentChanged ? embedded : null;
          Memory fields = old.edited(content, tags, category, importance, state, now());
          Memory edited = tier == null ? fields : fields.withTier(tier);
          Memory dated =
              contentChanged ? edited.withExpiresAt(Expiry.of(content, old.createdAt())) : edited;
          // New text is screened again; a confirmation rides along with the edit.
          Memory trusted = confirm ? Confirmation.confirmed(dated) : dated;
          Memory m = contentChanged ? screen.screened(trusted, vector) : trusted;
          MemoryWrite w =
              new MemoryWrite()
                  .rewrite(m, contentChanged, vector, vector == null ? null : model)
                  .history(
                      m,
                      entry(
                          action(old, state),
                          caller,
                          m.updatedAt(),
                          changedFields(
                              old, contentChanged, tags, category, importance, state, tier)));
          if (confirm && old.unconfirmed()) {
            w.history(m, Confirmation.step(caller, Confirmation.CONFIRMED, m.updatedAt()));
          }
          writer.commit(w, null);
          return m;
        });
  }

  private static Memory checked(Memory old, MemoryState state) {
    if (old.state() == MemoryState.DELETED && state == null) {
      throw OmemException.invalid(
          "memory " + old.id() + " was forgotten; set state to active to restore it first");
    }
    return old;
  }

  private static HistoryEntry.Action action(Memory old, MemoryState state) {
    return state == null || state == old.state()
        ? HistoryEntry.Action.UPDATED
        : switch (state) {
          case DELETED -> HistoryEntry.Action.DELETED;
          case ARCHIVED -> HistoryEntry.Action.ARCHIVED;
          case ACTIVE -> HistoryEntry.Action.RESTORED;
        };
  }

  private static String changedFields(
      Memory old,
      boolean contentChanged,
      List<String> tags,
      Category category,
      Double importance,
      MemoryState state,
      Tier tier) {
    List<String> fields = new ArrayList<>();
    if (contentChanged) {
      fields.add("content");
    }
    if (tags != null && !tags.equals(old.tags())) {
      fields.add("tags");
    }
    if (category != null && category != old.category()) {
      fields.add("category");
    }
    if (importance != null && importance != old.importance()) {
      fields.add("importance");
    }
    if (state != null && state != old.state()) {
      fields.add("state");
    }
    if (tier != null && tier != old.tier()) {
      fields.add("tier " + tier.wire());
    }
    return fields.isEmpty() ? null : String.join(", ", fields);
  }

  /**
   * Marks those of {@code ms} not deleted yet deleted, a thousand per transaction (one fsync for a
   * batch instead of one each: 90k forgets took over an hour one by one); returns how many.
   */
  long softDelete(List<Memory> ms) {
    long deleted = 0;
    List<Memory> live = ms.stream().filter(m -> m.state() != MemoryState.DELETED).toList();
    for (int i = 0; i < live.size(); i += Limits.MAX_BATCH_IDS) {
      List<Memory> batch = live.subList(i, Math.min(live.size(), i + Limits.MAX_BATCH_IDS));
      deleted +=
          writer.locked(
              () -> {
                MemoryWrite w = new MemoryWrite();
                long n = 0;
                for (Memory read : batch) {
                  // The row as it is now: a copy read earlier may have been edited since.
                  Memory m = repo.find(read.tenantId(), read.id()).orElse(null);
                  if (m == null || m.state() == MemoryState.DELETED) {
                    continue;
                  }
                  Memory d = m.edited(null, null, null, null, MemoryState.DELETED, now());
                  w.rewrite(d)
                      .history(d, entry(HistoryEntry.Action.DELETED, null, d.updatedAt(), null));
                  n++;
                }
                if (!w.isEmpty()) {
                  writer.commit(w, null);
                }
                return n;
              });
    }
    return deleted;
  }

  private static HistoryEntry entry(
      HistoryEntry.Action action, Caller caller, Instant at, String note) {
    return new HistoryEntry(
        action,
        at,
        caller == null ? null : caller.sessionId(),
        caller == null ? null : caller.agentId(),
        null,
        null,
        note);
  }
}
