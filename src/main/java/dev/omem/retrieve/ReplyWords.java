package dev.omem.retrieve;

import dev.omem.domain.MemoryFilter;
import dev.omem.index.IndexHit;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reply read with the words of the turn it answers: the memory stored right after another in the
 * same session gets, on top of its own BM25 score, a share of that turn's, as a second text field
 * holding the previous turn's words would give it ("This has been great for my mental health" after
 * "I started running"). Done at search time from the BM25 list the search already has, so a store
 * costs nothing more and stores written before it get it too.
 */
final class ReplyWords {
  private ReplyWords() {}

  /**
   * The share of the previous turn's BM25 score a reply gets ({@link RankingWeights#REPLY_WORDS}):
   * {@code OMEM_REPLY_WORDS=off} is the ablation, a number another share (benchmarks only).
   */
  static final double SHARE = share(System.getenv("OMEM_REPLY_WORDS"));

  static final boolean ASKED = "on".equals(System.getenv("OMEM_REPLY_WORDS_ASKED"));

  static double share(String env) {
    if (env == null || env.isBlank()) {
      return RankingWeights.REPLY_WORDS;
    }
    return "off".equalsIgnoreCase(env.strip()) ? 0 : Double.parseDouble(env.strip());
  }

  /**
   * {@link #lend(Map, List, Map, double)} over a search's BM25 hits: the memories stored right
   * after them in their sessions (one query a space), those the search's filters do not select left
   * out.
   */
  static void lend(
      MemoryRepository repo,
      List<MemoryFilter> filters,
      Map<String, Candidate> byId,
      List<IndexHit> bm25,
      double share) {
    if (share <= 0 || bm25.isEmpty()) {
      return;
    }
    List<String> hits = bm25.stream().map(IndexHit::id).toList();
    Map<String, String> next = new HashMap<>();
    for (MemoryFilter f : filters) { // a session lies within one space
      next.putAll(repo.neighbours(f.tenantId(), hits, true));
    }
    if (ASKED && !next.isEmpty()) {
      Map<String, StoredMemory> asked = repo.findStored(next.keySet());
      next.keySet()
          .removeIf(
              id -> asked.get(id) == null || asked.get(id).memory().content().indexOf('?') < 0);
    }
    // A reply the BM25 list does not hold is read here (the relevance model reads the row again).
    Map<String, StoredMemory> rows =
        repo.findStored(next.values().stream().filter(id -> !byId.containsKey(id)).toList());
    next.values()
        .removeIf(
            id -> {
              StoredMemory row = rows.get(id);
              if (byId.containsKey(id)) {
                return false;
              }
              if (row == null || filters.stream().noneMatch(f -> f.matches(row.memory()))) {
                return true;
              }
              byId.computeIfAbsent(id, Candidate::new).row = row;
              return false;
            });
    lend(byId, hits, next, share);
  }

  /**
   * Adds to each candidate that follows a BM25 hit in its session {@code share} times that hit's
   * BM25 score, then divides every BM25 score by the new best and places them again, as one BM25
   * over both fields would.
   *
   * @param byId every candidate so far, by id (new ones are added)
   * @param hits the BM25 hits' ids, best first (their candidates hold their normalised scores)
   * @param next for hits that have one, the id of the memory stored right after it in its session
   */
  static void lend(
      Map<String, Candidate> byId, List<String> hits, Map<String, String> next, double share) {
    if (share <= 0 || next.isEmpty()) {
      return;
    }
    Map<String, Double> own = new HashMap<>();
    hits.forEach(id -> own.put(id, byId.get(id).bm25));
    for (String id : hits) {
      String reply = next.get(id);
      if (reply != null) {
        Candidate c = byId.computeIfAbsent(reply, Candidate::new);
        c.bm25 = own.getOrDefault(reply, 0.0) + share * own.get(id);
      }
    }
    List<Candidate> scored = new ArrayList<>();
    for (Candidate c : byId.values()) {
      if (c.bm25 > 0) {
        scored.add(c);
      }
    }
    scored.sort(Comparator.comparingDouble((Candidate c) -> -c.bm25).thenComparing(c -> c.id));
    double best = scored.isEmpty() ? 1 : scored.get(0).bm25;
    for (int i = 0; i < scored.size(); i++) {
      Candidate c = scored.get(i);
      c.bm25 /= best;
      c.bm25Rank = i > 0 && scored.get(i - 1).bm25 == c.bm25 ? scored.get(i - 1).bm25Rank : i;
    }
  }
}
