package dev.omem.service;

import static dev.omem.embed.UnitVectors.dot;

import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.domain.Trust;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexHit;
import dev.omem.index.IndexSynchronizer;
import dev.omem.ingest.Decision;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.ReconcileJudge;
import dev.omem.ingest.ReconcileJudge.Neighbour;
import dev.omem.ingest.ReconcileJudge.Verdict;
import dev.omem.ingest.Reconciler;
import dev.omem.lifecycle.Expiry;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one fact: finds the most similar memories of its scope, decides (the LLM judge when
 * one is configured, else {@link Reconciler}; both under {@link Reconciler#protect}), and plans the
 * decision's rows with their history, which {@link MemoryWriter} commits in one transaction.
 * Explicit stores and the ingest pipeline both write through here.
 */
final class FactWriter {
  private static final Logger LOG = LoggerFactory.getLogger(FactWriter.class);

  /** Neighbours looked at per fact: the decision acts on the nearest; five leave the judge room. */
  static final int NEIGHBOURS = 5;

  /** A fact ready to be written. */
  record Candidate(
      String content,
      Category category,
      List<String> tags,
      String scope,
      double importance,
      double confidence,
      String source,
      MemoryType type) {

    boolean explicit() {
      return type == MemoryType.PINNED;
    }
  }

  /**
   * A candidate with its vector (null while the model loads) and its nearest memories, and what the
   * search that found them saw ({@code seen}; null before any), so that the check under the write
   * lock looks only at what was written since ({@link NeighbourRecheck}).
   */
  record Prepared(
      Candidate candidate,
      float[] vector,
      String model,
      List<Neighbour> neighbours,
      NeighbourRecheck.Seen seen) {
    /** The similarity of the nearest stored memory, 0 when there is none. */
    double nearest() {
      return neighbours.isEmpty() ? 0 : Math.max(0, neighbours.get(0).similarity());
    }
  }

  /**
   * What was done: the decision, the memory the caller should see (the new one, or the existing one
   * it restated), and the other memory involved, if any.
   */
  record Outcome(Decision decision, Memory memory, String relatedId) {}

  /** What a verdict will do ({@code outcome}) and the rows that do it ({@code write}). */
  record Plan(Outcome outcome, MemoryWrite write) {}

  private final MemoryRepository repo;
  private final Supplier<IndexSynchronizer> index;
  private final EmbeddingProvider embeddings;
  private final Optional<ReconcileJudge> llmJudge;
  private final Reconciler rules = new Reconciler();
  private final Clock clock;
  private final TrustScreen screen;

  FactWriter(
      MemoryRepository repo,
      Supplier<IndexSynchronizer> index,
      EmbeddingProvider embeddings,
      Optional<ReconcileJudge> llmJudge,
      Clock clock,
      TrustScreen screen) {
    this.screen = screen;
    this.repo = repo;
    this.index = index;
    this.embeddings = embeddings;
    this.llmJudge = llmJudge;
    this.clock = clock;
  }

  /**
   * Embeds the candidate (outside any lock: the slow part), or takes the vector its extraction just
   * computed ({@link dev.omem.embed.VectorMemo}); readies the injection screen's exemplars too, so
   * that the screen never embeds them under the write lock.
   */
  Prepared embed(Candidate c) {
    Optional<Embedder> e = embeddings.ifReady();
    screen.prepare();
    float[] v =
        e.map(
                x ->
                    embeddings
                        .memo()
                        .take(c.content())
                        .orElseGet(() -> x.embedDocument(c.content())))
            .orElse(null);
    return new Prepared(c, v, e.map(Embedder::vectorModel).orElse(null), List.of(), null);
  }

  /**
   * The prepared candidate with its nearest active memories of its scope and the global scope,
   * nearest first. {@code caughtUp}: the index first applies every committed write (under the write
   * lock, where the answer must be complete); without it the search sees what the index holds and
   * {@link NeighbourRecheck} adds the rest under the lock.
   */
  Prepared withNeighbours(String tenant, Prepared p, boolean caughtUp) {
    MemoryFilter f = NeighbourRecheck.filter(tenant, p);
    IndexSynchronizer s = index.get();
    if (caughtUp) {
      s.catchUp();
    }
    long seq = s.searchableSeq(); // read before the search: it sees at least this much
    List<IndexHit> hits =
        p.vector() != null
            ? s.searchNeighbours(p.vector(), f, NEIGHBOURS).hits()
            : s.searchText(p.candidate().content(), f, NEIGHBOURS).hits();
    List<String> ids = hits.stream().map(IndexHit::id).toList();
    Map<String, StoredMemory> rows = repo.findStored(ids);
    List<Neighbour> out = new ArrayList<>();
    for (StoredMemory row : rows.values()) {
      Neighbour n = neighbour(tenant, p, row);
      if (n != null) {
        out.add(n);
      }
    }
    out.sort(Comparator.comparingDouble(Neighbour::similarity).reversed());
    NeighbourRecheck.Seen seen =
        seq < 0 || p.vector() == null ? null : new NeighbourRecheck.Seen(seq, Set.copyOf(ids));
    return new Prepared(p.candidate(), p.vector(), p.model(), out, seen);
  }

  /** {@code row} as a neighbour of the candidate, or null when it is not one (inactive, other). */
  static Neighbour neighbour(String tenant, Prepared p, StoredMemory row) {
    Memory m = row.memory();
    if (m.state() != MemoryState.ACTIVE || !m.tenantId().equals(tenant)) {
      return null;
    }
    double sim =
        p.vector() != null && row.vector() != null
            ? dot(p.vector(), row.vector())
            : lexical(p.candidate().content(), m.content());
    return new Neighbour(
        m.id(), m.content(), m.category(), sim, m.memoryType() == MemoryType.PINNED);
  }

  /** Decides for a prepared candidate: the LLM judge first when configured, then the rules. */
  Verdict decide(Prepared p) {
    FactExtractor.Fact fact =
        new FactExtractor.Fact(
            p.candidate().content(),
            p.candidate().category(),
            p.candidate().tags(),
            p.candidate().importance(),
            p.candidate().confidence());
    Verdict v = null;
    if (llmJudge.isPresent() && !p.neighbours().isEmpty()) {
      try {
        v = llmJudge.get().judge(fact, p.neighbours()).orElse(null);
      } catch (RuntimeException e) {
        LOG.warn("LLM reconciliation failed, using the rules: {}", e.getClass().getSimpleName());
      }
    }
    if (v == null) {
      v = rules.decide(p.candidate().content(), p.neighbours(), !p.candidate().explicit());
    }
    return checked(p, v);
  }

  /** {@code v} about a neighbour we showed, under {@link Reconciler#protect}. */
  private static Verdict checked(Prepared p, Verdict v) {
    Neighbour target =
        v.targetId() == null
            ? null
            : p.neighbours().stream()
                .filter(n -> n.id().equals(v.targetId()))
                .findFirst()
                .orElse(null);
    if (v.decision() != Decision.CREATE && target == null) {
      return new Verdict(Decision.CREATE, null, null); // a verdict about nothing we showed
    }
    return Reconciler.protect(v, p.candidate().explicit(), target);
  }

  /** Decides for a prepared candidate by the rules alone (fast: used under the write lock). */
  Verdict decideByRules(Prepared p) {
    return checked(
        p, rules.decide(p.candidate().content(), p.neighbours(), !p.candidate().explicit()));
  }

  /**
   * What applying {@code v} for the prepared candidate on behalf of {@code caller} writes; {@link
   * MemoryWriter} commits it.
   */
  Plan plan(String tenant, Caller caller, Prepared p, Verdict v) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Candidate c = p.candidate();
    MemoryWrite w = new MemoryWrite();
    Outcome out;
    Memory target = v.targetId() == null ? null : repo.find(tenant, v.targetId()).orElse(null);
    if (v.decision() != Decision.CREATE && target == null) {
      v = new Verdict(Decision.CREATE, null, null);
    }
    // A restatement of a candidate may confirm it (issue 14: another session, or a memory_store).
    String confirms = Confirmation.byRestatement(target, caller, c.explicit());
    switch (v.decision()) {
      case SKIP -> {
        w.history(target, entry(HistoryEntry.Action.SKIPPED, caller, c, null, now, c.content()));
        Memory m =
            confirms == null ? target : Confirmation.confirm(w, target, caller, confirms, now);
        out = new Outcome(Decision.SKIP, m, null);
      }
      case SUPPORT -> {
        Memory m = target.supported(Reconciler.SUPPORT_BOOST, now);
        m = confirms == null ? m : Confirmation.confirmed(m);
        w.rewrite(m)
            .history(m, entry(HistoryEntry.Action.SUPPORTED, caller, c, null, now, c.content()));
        if (confirms != null) {
          w.history(m, Confirmation.step(caller, confirms, now));
        }
        out = new Outcome(Decision.SUPPORT, m, null);
      }
      case MERGE -> {
        String merged = v.mergedText() == null ? c.content() : v.mergedText();
        List<String> tags = new ArrayList<>(target.tags());
        c.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
        Memory edited =
            target.edited(
                merged, tags, null, Math.max(target.importance(), c.importance()), null, now);
        float[] vector = merged.equals(c.content()) ? p.vector() : null;
        Memory m =
            screen.screened(confirms == null ? edited : Confirmation.confirmed(edited), vector);
        w.rewrite(m, true, vector, vector == null ? null : p.model())
            .history(m, entry(HistoryEntry.Action.MERGED, caller, c, null, now, c.content()));
        if (confirms != null) {
          w.history(m, Confirmation.step(caller, confirms, now));
        }
        out = new Outcome(Decision.MERGE, m, null);
      }
      case SUPERSEDE, CONTEXTUALIZE, CONTRADICT -> {
        // A memory beside the old one: superseding, contradicting or qualifying it. The three
        // differ only in the relation's names and in what the old one becomes.
        Relation r = Relation.of(v.decision());
        Memory fresh = newMemory(tenant, caller, p, now, Map.of(r.forward(), List.of(target.id())));
        Memory old =
            r.backward() == null
                ? target.supersededBy(fresh.id(), now)
                : target.relatedTo(r.backward(), fresh.id(), now);
        w.insert(new StoredMemory(fresh, p.vector(), p.model()))
            .history(
                fresh,
                entry(
                    HistoryEntry.Action.CREATED,
                    caller,
                    c,
                    target.id(),
                    now,
                    r.forward() + " " + target.id()))
            .rewrite(old)
            .history(old, entry(r.action(), caller, c, fresh.id(), now, c.content()));
        out = new Outcome(v.decision(), fresh, target.id());
      }
      default -> {
        Memory fresh = newMemory(tenant, caller, p, now, Map.of());
        w.insert(new StoredMemory(fresh, p.vector(), p.model()))
            .history(fresh, entry(HistoryEntry.Action.CREATED, caller, c, null, now, null));
        out = new Outcome(Decision.CREATE, fresh, null);
      }
    }
    return new Plan(out, w);
  }

  /** The relation a new memory takes to an old one, by decision; backward null: superseded. */
  private record Relation(String forward, String backward, HistoryEntry.Action action) {
    static Relation of(Decision d) {
      return switch (d) {
        case SUPERSEDE -> new Relation("supersedes", null, HistoryEntry.Action.SUPERSEDED);
        case CONTRADICT ->
            new Relation("contradicts", "contradicted_by", HistoryEntry.Action.CONTRADICTED);
        default ->
            new Relation("contextualizes", "contextualized_by", HistoryEntry.Action.CONTEXTUALIZED);
      };
    }
  }

  /**
   * A new memory of the candidate: confirmed when stored on purpose, a candidate when extracted
   * (issue 14), and screened for injections.
   */
  private Memory newMemory(
      String tenant, Caller caller, Prepared p, Instant now, Map<String, List<String>> relations) {
    Candidate c = p.candidate();
    Memory m = plainMemory(tenant, caller, c, now, relations);
    return screen.screened(
        m.withTrust(c.explicit() ? Trust.CONFIRMED : Trust.CANDIDATE), p.vector());
  }

  private static Memory plainMemory(
      String tenant, Caller caller, Candidate c, Instant now, Map<String, List<String>> relations) {
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId(tenant)
        .spaceId(SpaceAccess.spaceOfPartition(tenant))
        .content(c.content())
        .category(c.category())
        .memoryType(c.type())
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(c.importance())
        .confidence(c.confidence())
        .tags(c.tags())
        .scope(c.scope())
        .agentId(caller.agentId())
        .sessionId(caller.sessionId())
        .source(c.source())
        .relations(relations)
        .createdAt(now)
        .updatedAt(now)
        .expiresAt(Expiry.of(c.content(), now))
        .build();
  }

  /** A history step of this write; {@code note} is cut to keep history rows small. */
  static HistoryEntry entry(
      HistoryEntry.Action action,
      Caller caller,
      Candidate c,
      String relatedId,
      Instant at,
      String note) {
    return new HistoryEntry(
        action,
        at,
        caller.sessionId(),
        caller.agentId(),
        c == null ? null : c.source(),
        relatedId,
        note == null || note.length() <= 300 ? note : note.substring(0, 297) + "...");
  }

  private static double lexical(String a, String b) {
    return dev.omem.ingest.Reconciler.lexicalSimilarity(a, b);
  }
}
