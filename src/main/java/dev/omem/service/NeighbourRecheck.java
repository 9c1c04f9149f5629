package dev.omem.service;

import dev.omem.domain.MemoryFilter;
import dev.omem.domain.Scope;
import dev.omem.ingest.ReconcileJudge.Neighbour;
import dev.omem.store.Change;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A store's neighbour check brought up to date under the write lock without searching again: the
 * search before the lock saw the index at some sequence number; under the lock only the memories
 * written since (the change log after it, a few rows while stores queue for the lock) are compared
 * with the candidate and merged in. Until issue 19 every store searched the index a second time
 * under the lock (and caught it up first), which made the lock's hold, and so the server's store
 * throughput, wait on Lucene.
 *
 * <p>The answer is the fresh search's: a memory written since is looked at directly; one that was
 * not among the earlier hits and did not change cannot have entered the nearest (those it ranked
 * below are all still there). When a change touches one of the earlier hits (edited, archived,
 * forgotten), or too many changes came in, the caller searches again as before.
 */
final class NeighbourRecheck {
  /** What the search before the lock saw: the index's sequence number and the ids it returned. */
  record Seen(long seq, Set<String> hitIds) {}

  /**
   * Changes past which a fresh search is cheaper than reading their rows: with 32 clients about 16
   * stores wait for the lock at once, each adding one change; a rebuild or a bulk import adds
   * hundreds.
   */
  static final int MAX_CHANGES = 128;

  private final MemoryRepository repo;

  NeighbourRecheck(MemoryRepository repo) {
    this.repo = repo;
  }

  /**
   * The prepared candidate with the writes since its search merged into its neighbours, or empty
   * when it must search again (no earlier search, one of its hits changed, too many changes).
   * Called under the write lock, so no write commits meanwhile.
   */
  Optional<FactWriter.Prepared> since(String tenant, FactWriter.Prepared p) {
    NeighbourRecheck.Seen seen = p.seen();
    if (seen == null) {
      return Optional.empty();
    }
    List<Change> changes = repo.changesAfter(seen.seq(), MAX_CHANGES + 1);
    if (changes.isEmpty()) {
      return Optional.of(p);
    }
    if (changes.size() > MAX_CHANGES) {
      return Optional.empty();
    }
    List<String> ids = changes.stream().map(Change::memoryId).distinct().toList();
    if (ids.stream().anyMatch(seen.hitIds()::contains)) {
      return Optional.empty();
    }
    MemoryFilter f = filter(tenant, p);
    Map<String, Neighbour> merged = new LinkedHashMap<>();
    p.neighbours().forEach(n -> merged.put(n.id(), n));
    for (StoredMemory row : repo.findStored(ids).values()) {
      if (!f.scopes().contains(row.memory().scope())) {
        continue;
      }
      Neighbour n = FactWriter.neighbour(tenant, p, row);
      if (n != null) {
        merged.put(n.id(), n);
      }
    }
    List<Neighbour> nearest = new ArrayList<>(merged.values());
    nearest.sort(Comparator.comparingDouble(Neighbour::similarity).reversed());
    List<Neighbour> kept = nearest.subList(0, Math.min(nearest.size(), FactWriter.NEIGHBOURS));
    return Optional.of(
        new FactWriter.Prepared(p.candidate(), p.vector(), p.model(), List.copyOf(kept), p.seen()));
  }

  /** Its own scope and the global one: a project fact may restate or qualify a global one. */
  static MemoryFilter filter(String tenant, FactWriter.Prepared p) {
    Set<String> scopes = new HashSet<>(List.of(p.candidate().scope(), Scope.GLOBAL));
    return MemoryFilter.builder(tenant).scopes(scopes).build();
  }
}
