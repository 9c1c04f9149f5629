package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.store.HomeIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The store in this process, as the CLI and the daemon use it: the {@link MemoryService}, and what
 * only the owner of a data directory does (wait for the model, check and rebuild the index, the
 * hourly passes, the daemon's identity and announcement, the server's tenants and keyed writes).
 */
public interface LocalAdministration extends MemoryService {
  /** Opens the store in {@code config.home()}, failing at once if another process holds it. */
  static LocalAdministration open(OmemConfig config) {
    return LocalMemoryService.open(config);
  }

  /**
   * Opens the store, loading the embedding model only once {@code modelAfter} is done and the index
   * is open (the daemon: see {@link LocalMemoryService#open(OmemConfig, CompletionStage)}).
   */
  static LocalAdministration open(OmemConfig config, CompletionStage<?> modelAfter) {
    return LocalMemoryService.open(config, modelAfter);
  }

  /** Waits until the embedding model is ready (for the CLI and benchmarks); false on failure. */
  boolean awaitModel(Duration timeout);

  /**
   * {@code omem doctor}'s index check: every file's checksum verified now, a damaged index rebuilt
   * from the store (waiting up to {@code wait}), and what was found and done. Never throws.
   */
  Map<String, Object> checkIndex(Duration wait);

  /** Rebuilds the index from SQLite and the stored vectors; returns the memories indexed. */
  int reindex();

  /** One lifecycle pass over every tenant's memories: what the daemon runs periodically. */
  DecayResult decayAll();

  /** One upkeep pass ({@link Upkeep#run}): what the daemon runs next to the hourly decay pass. */
  UpkeepResult upkeep();

  /** The tenants of {@code omem serve}, kept in this store. */
  Tenants tenants();

  /** The answers to keyed writes, so a retried write is applied once. */
  IdempotentWrites idempotentWrites();

  /** The Claude Code hooks' per-session state (transcript offsets, memories shown). */
  HookSessions hookSessions();

  /** Which home this store is (canonical path, id): what a client checks a daemon against. */
  HomeIdentity homeIdentity();

  /**
   * Runs {@code work} unless another node of the cluster runs work of that name now, or ran it less
   * than {@code every} ago (the hourly decay and upkeep passes); returns whether it ran. A store of
   * its own always runs it.
   */
  boolean oncePerCluster(String name, Duration every, Runnable work);

  /** What {@code /ready} and {@code /metrics} ask of this store. */
  ServerProbe probe();

  /** Says in the store's lock file that the daemon of this store listens on {@code port}. */
  void announceDaemon(int port);
}
