package dev.omem.service;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.SpaceType;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexSynchronizer;
import dev.omem.ingest.Decision;
import dev.omem.ingest.ReconcileJudge;
import dev.omem.lifecycle.DecayPass;
import dev.omem.store.ContentHash;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.UniqueActive;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one unit of work every write of memories goes through (store, update, forget, ingest's facts,
 * imports, share, pull, unshare, the decay pass, restore, confirm): it holds the {@link WriteLock}
 * while a write is checked and committed, checks for an active memory with the same text, commits
 * the rows with their change-log entries and history in one transaction, catches the index up and
 * wakes the embedding backfill after, and applies auto-share rules to a new personal memory. The
 * unique index {@link UniqueActive} backs the duplicate check; a write it refuses gets what a
 * duplicate gets (a skip of the stored memory) or, for an edit, a CONFLICT.
 */
final class MemoryWriter {
  /** Applies a personal space's auto-share rules to a memory just written. */
  interface AutoShare {
    void share(String tenant, Caller caller, Memory written);
  }

  private final MemoryRepository repo;
  private final FactWriter facts;
  private final Supplier<IndexSynchronizer> index;
  private final Runnable wakeBackfill;
  private final EmbeddingProvider embeddings;
  private final TrustScreen screen;
  private final Clock clock;
  private final AutoShare autoShare;
  private final WriteLock lock;
  private final NeighbourRecheck recheck;

  MemoryWriter(
      MemoryRepository repo,
      FactWriter facts,
      Supplier<IndexSynchronizer> index,
      Runnable wakeBackfill,
      EmbeddingProvider embeddings,
      TrustScreen screen,
      Clock clock,
      AutoShare autoShare) {
    this.repo = repo;
    this.facts = facts;
    this.index = index;
    this.wakeBackfill = wakeBackfill;
    this.embeddings = embeddings;
    this.screen = screen;
    this.clock = clock;
    this.autoShare = autoShare;
    this.lock = new WriteLock(screen::prepare, repo);
    this.recheck = new NeighbourRecheck(repo);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Runs {@code work} under the write lock: a check and the write that depends on it. */
  <T> T locked(Supplier<T> work) {
    return lock.hold(work);
  }

  /**
   * Commits {@code w} and {@code also} in one transaction under the lock, then catches the index up
   * once the lock is released (before the caller is answered, so the write is searchable when the
   * call returns; the next writer need not wait for Lucene). A write the unique index refuses is a
   * CONFLICT naming the reason; nothing of it is stored.
   */
  long commit(MemoryWrite w, Runnable also) {
    return lock.hold(
        () -> {
          long seq;
          try {
            seq = repo.apply(w, also);
          } catch (RuntimeException e) {
            if (UniqueActive.violatedBy(e)) {
              throw new OmemException(
                  ErrorCode.CONFLICT,
                  "an active memory in this scope already holds this text; edit or forget that"
                      + " one instead",
                  e);
            }
            throw e;
          }
          if (!w.isEmpty()) {
            boolean needsVectors = w.needsVectors();
            // A single new row is handed to the catch-up, which then need not read it back.
            StoredMemory only =
                w.inserts().size() == 1 && w.rewrites().isEmpty() ? w.inserts().get(0) : null;
            lock.afterRelease(() -> afterWrite(needsVectors, only, seq));
          }
          return seq;
        });
  }

  /**
   * One lifecycle pass over {@code tenant}'s active memories (every tenant's for null): the plan
   * {@link DecayPass} computes, applied in one write under the lock, so an edit between reading a
   * memory and moving it is never undone. {@code settle} runs first (pending access counts).
   */
  DecayResult decay(String tenant, Runnable settle) {
    return lock.hold(
        () -> {
          settle.run();
          DecayPass.Plan plan = DecayPass.plan(repo.active(tenant), now());
          lifecycle(
              plan.changes().stream().map(DecayPass.Change::memory).toList(),
              plan.changes().stream()
                  .map(
                      c ->
                          new MemoryWrite.HistoryRow(
                              c.memory().id(), c.memory().tenantId(), c.step()))
                  .toList());
          return new DecayResult(
              plan.examined(),
              plan.promoted(),
              plan.demoted(),
              plan.archived(),
              plan.transitions());
        });
  }

  /** Lifecycle fields only (the decay pass), so that an access counted meanwhile is kept. */
  void lifecycle(List<Memory> changed, List<MemoryWrite.HistoryRow> steps) {
    lock.hold(
        () -> {
          if (!changed.isEmpty()) {
            repo.updateLifecycle(changed, steps);
            lock.afterRelease(() -> afterWrite(false));
          }
        });
  }

  /** The index caught up with the store; the backfill woken when a row waits for its vector. */
  void afterWrite(boolean needsVector) {
    afterWrite(needsVector, null, 0);
  }

  /**
   * As {@link #afterWrite(boolean)}, with the one row this write inserted as the change {@code seq}
   * (null when it wrote anything else): the catch-up applies it as held instead of reading it back,
   * when nothing else is pending (IndexSynchronizer#catchUp(StoredMemory, long)).
   */
  private void afterWrite(boolean needsVector, StoredMemory inserted, long seq) {
    if (inserted == null) {
      index.get().catchUp();
    } else {
      index.get().catchUp(inserted, seq);
    }
    if (needsVector) {
      wakeBackfill.run();
    }
  }

  /**
   * Writes one fact: reconciled against its nearest memories ({@code reconcile}), or only kept from
   * being stored twice; {@code also} runs in the write's transaction. A null candidate writes only
   * {@code also} (a fact dropped before it could be stored); {@code admit} (null: all) sees the
   * nearest stored similarity, and when it refuses, {@code also} gets a null outcome.
   */
  FactWriter.Outcome fact(
      String tenant,
      Caller caller,
      FactWriter.Candidate c,
      boolean reconcile,
      DoublePredicate admit,
      Function<FactWriter.Outcome, Runnable> also) {
    if (c == null) {
      commit(new MemoryWrite(), also.apply(null));
      return null;
    }
    FactWriter.Prepared p = facts.embed(c);
    ReconcileJudge.Verdict early = null;
    if (reconcile) {
      // Decided before taking the lock (an LLM judge may take seconds), checked again under it.
      p = facts.withNeighbours(tenant, p, false);
      if (admit != null && !admit.test(p.nearest())) {
        commit(new MemoryWrite(), also.apply(null)); // not admitted: only the step
        return null;
      }
      early = facts.decide(p);
    }
    FactWriter.Prepared prepared = p;
    ReconcileJudge.Verdict decided = early;
    FactWriter.Outcome o =
        lock.hold(
            () -> {
              FactWriter.Prepared q = prepared;
              ReconcileJudge.Verdict v;
              Optional<Memory> same = repo.findActiveDuplicate(tenant, c.scope(), c.content());
              if (same.isPresent()) {
                v = skip(same.get());
              } else if (reconcile) {
                FactWriter.Prepared now =
                    recheck
                        .since(tenant, prepared)
                        .orElseGet(() -> facts.withNeighbours(tenant, prepared, true));
                v = sameIds(now, prepared) ? decided : facts.decideByRules(now);
                q = now;
              } else {
                v = new ReconcileJudge.Verdict(Decision.CREATE, null, null);
              }
              return commitFact(tenant, caller, q, v, also);
            });
    if (SpaceType.ofId(tenant) == null
        && o.decision() != Decision.SKIP
        && o.decision() != Decision.SUPPORT) {
      // A new memory of someone's personal space (stored or extracted): their spaces' rules.
      autoShare.share(tenant, caller, o.memory());
    }
    return o;
  }

  /** Plans and commits a verdict; a text the unique index refuses is a skip of the stored one. */
  private FactWriter.Outcome commitFact(
      String tenant,
      Caller caller,
      FactWriter.Prepared p,
      ReconcileJudge.Verdict v,
      Function<FactWriter.Outcome, Runnable> also) {
    FactWriter.Plan plan = facts.plan(tenant, caller, p, v);
    try {
      commit(plan.write(), also == null ? null : also.apply(plan.outcome()));
      return plan.outcome();
    } catch (OmemException e) {
      Memory written = plan.outcome().memory();
      Optional<Memory> held =
          UniqueActive.violatedBy(e) && v.decision() != Decision.SKIP
              ? repo.findActiveDuplicate(tenant, written.scope(), written.content())
              : Optional.empty();
      if (held.isEmpty()) {
        throw e;
      }
      return commitFact(tenant, caller, p, skip(held.get()), also);
    }
  }

  private static ReconcileJudge.Verdict skip(Memory same) {
    return new ReconcileJudge.Verdict(Decision.SKIP, same.id(), null);
  }

  private static boolean sameIds(FactWriter.Prepared a, FactWriter.Prepared b) {
    return a.neighbours().stream()
        .map(ReconcileJudge.Neighbour::id)
        .toList()
        .equals(b.neighbours().stream().map(ReconcileJudge.Neighbour::id).toList());
  }

  /**
   * Stores drafts in the tenant's personal partition with one batched embedding call and one
   * transaction; a draft whose text is stored already (or earlier in the batch) answers with that
   * memory. Returns the stored (or already present) memories in the drafts' order.
   */
  List<Memory> insertAll(String tenant, Caller caller, List<StoreDraft> drafts, MemoryType type) {
    Instant now = now();
    List<Memory> out = new ArrayList<>();
    List<Memory> fresh = new ArrayList<>();
    Map<String, Memory> seen = new HashMap<>();
    for (StoreDraft d : drafts) {
      String key = d.scope() + "\n" + ContentHash.of(d.content());
      Memory existing =
          seen.computeIfAbsent(
              key, k -> repo.findActiveDuplicate(tenant, d.scope(), d.content()).orElse(null));
      if (existing != null) {
        out.add(existing); // exact duplicates are never stored twice
        continue;
      }
      Memory m = d.newMemory(tenant, caller, type, now).build();
      seen.put(key, m);
      fresh.add(m);
      out.add(m);
    }
    if (fresh.isEmpty()) {
      return out;
    }
    // Embedded outside the lock (the slow part); whether each text is new is asked again in it.
    Optional<Embedder> e = embeddings.ifReady();
    List<float[]> vectors =
        e.map(x -> x.embedDocuments(fresh.stream().map(Memory::content).toList())).orElse(null);
    String model = e.map(Embedder::vectorModel).orElse(null);
    return lock.hold(
        () -> {
          MemoryWrite w = new MemoryWrite();
          Map<String, Memory> written = new HashMap<>();
          for (int i = 0; i < fresh.size(); i++) {
            Memory draft = fresh.get(i);
            Optional<Memory> since =
                repo.findActiveDuplicate(tenant, draft.scope(), draft.content());
            if (since.isPresent()) {
              written.put(draft.id(), since.get()); // stored by another writer meanwhile
              continue;
            }
            float[] v = vectors == null ? null : vectors.get(i);
            Memory m = screen.screened(draft, v);
            written.put(m.id(), m);
            w.insert(new StoredMemory(m, v, model)).history(m, created(caller, m.source(), now));
          }
          commit(w, null);
          List<Memory> answer = new ArrayList<>(out);
          answer.replaceAll(m -> written.getOrDefault(m.id(), m));
          return answer;
        });
  }

  private static HistoryEntry created(Caller caller, String source, Instant at) {
    return new HistoryEntry(
        HistoryEntry.Action.CREATED,
        at,
        caller == null ? null : caller.sessionId(),
        caller == null ? null : caller.agentId(),
        source,
        null,
        null);
  }

  /** Confirms a candidate (a no-op for a confirmed memory), with a history step saying why. */
  Memory confirm(Caller caller, Memory m, String why) {
    if (!m.unconfirmed()) {
      return m;
    }
    return lock.hold(
        () -> {
          Memory now = repo.find(m.tenantId(), m.id()).orElse(m);
          if (!now.unconfirmed()) {
            return now;
          }
          MemoryWrite w = new MemoryWrite();
          Memory c = Confirmation.confirm(w, now, caller, why, now());
          commit(w, null);
          return c;
        });
  }
}
