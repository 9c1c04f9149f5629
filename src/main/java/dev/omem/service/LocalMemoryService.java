package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.domain.AutoShareRule;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexSynchronizer;
import dev.omem.lifecycle.DecayPass;
import dev.omem.llm.LlmSettings;
import dev.omem.retrieve.RetrievalPipeline;
import dev.omem.store.HomeIdentity;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The memory service over the local engine: SQLite, Lucene and the ONNX model in this process,
 * under the data directory's exclusive lock. A facade: {@link LocalServiceFactory} wires the parts,
 * reads go to {@link MemoryQueries}, access counts to {@link AccessCounter}, ingest requests to
 * {@link IngestQueue}, the decay pass is computed by {@code lifecycle.DecayPass}, health by {@link
 * StoreHealth}; the writes are here. Opening is quick: the model loads and the index catches up in
 * the background, and calls that need the index wait for it.
 */
public final class LocalMemoryService implements LocalAdministration {
  private final Clock clock;
  private final MemoryRepository repo;
  private final String tenantId;
  private final EmbeddingProvider embeddings;
  private final TrustScreen screen;
  private final SpaceAccess access;
  private final Sharing sharing;
  private final MemoryWriter writer;
  private final MemoryEdits edits;
  private final IngestWorker worker;
  private final IngestQueue ingestQueue;
  private final LocalServiceFactory parts;

  private final Importer importer;

  LocalMemoryService(LocalServiceFactory p) {
    this.parts = p;
    this.clock = p.clock;
    this.repo = p.repo;
    this.tenantId = p.tenantId;
    this.embeddings = p.embeddings;
    this.screen = p.screen;
    this.access = p.access;
    this.sharing = p.sharing;
    this.writer = p.writer;
    this.edits = p.edits;
    this.worker = p.ingestWorker(writer::fact); // each extracted fact goes through the writer
    this.ingestQueue = new IngestQueue(p.tasks, worker, clock);
    this.importer = p.importer(this::ingest);
  }

  /** Opens the store in {@code config.home()}, failing at once if another process holds it. */
  public static LocalMemoryService open(OmemConfig config) {
    return open(config, Clock.systemUTC());
  }

  public static LocalMemoryService open(OmemConfig config, Clock clock) {
    return open(config, clock, LlmSettings.resolve(config.home(), System.getenv()));
  }

  /**
   * Opens the store with these LLM settings ({@link LlmSettings#none()} for the local rules only).
   */
  public static LocalMemoryService open(OmemConfig config, Clock clock, LlmSettings llm) {
    return LocalServiceFactory.open(config, clock, llm, null);
  }

  /**
   * As {@link #open(OmemConfig)}, loading the embedding model only once {@code modelAfter} is done
   * and the index is open: the daemon restarting after a kill answers sooner when the model's load
   * does not share the CPU with its start (BENCHMARKS.md, recovery). Until then stores are embedded
   * later by the backfill and searches are BM25 only, saying so in their trace.
   */
  public static LocalMemoryService open(OmemConfig config, CompletionStage<?> modelAfter) {
    return LocalServiceFactory.open(
        config, Clock.systemUTC(), LlmSettings.resolve(config.home(), System.getenv()), modelAfter);
  }

  /** The time, to the millisecond the store keeps, so an answer shows what a later read will. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  @Override
  public Tenants tenants() {
    return parts.tenants;
  }

  @Override
  public HomeIdentity homeIdentity() {
    return parts.homeIdentity;
  }

  @Override
  public IdempotentWrites idempotentWrites() {
    return parts.idempotentWrites;
  }

  @Override
  public void announceDaemon(int port) {
    parts.lock.announceDaemon(port);
  }

  @Override
  public HookSessions hookSessions() {
    return parts.hookSessions;
  }

  /** The id of the local store's own tenant, which a {@link Caller} without one acts as. */
  public String localTenantId() {
    return tenantId;
  }

  private IndexSynchronizer index() {
    return parts.index.get();
  }

  private String tenant(Caller caller) {
    return LocalServiceFactory.tenantOf(caller, tenantId);
  }

  // ---- writes ----

  @Override
  public Memory store(Caller caller, StoreRequest r) {
    StoreDraft d =
        StoreDraft.of(
            r.content(),
            r.category(),
            r.tags(),
            r.scope(),
            r.importance(),
            r.source(),
            caller.project());
    String tenant = tenant(caller);
    String partition = r.space() == null ? tenant : access.writable(tenant, r.space()).partition();
    return writer
        .fact(partition, caller, d.candidate(0.5, MemoryType.PINNED), true, null, null)
        .memory();
  }

  /**
   * Stores several memories with one batched embedding call and one transaction; what the bulk
   * paths (ingest, imports, benchmarks) use. Returns the stored (or already present) memories.
   */
  public List<Memory> storeAll(Caller caller, List<StoreRequest> requests) {
    List<StoreDraft> drafts = new ArrayList<>();
    for (StoreRequest r : requests) {
      drafts.add(
          StoreDraft.of(
              r.content(),
              r.category(),
              r.tags(),
              r.scope(),
              r.importance(),
              r.source(),
              caller.project()));
    }
    return writer.insertAll(tenant(caller), caller, drafts, MemoryType.PINNED);
  }

  @Override
  public Memory update(Caller caller, UpdateRequest r) {
    return edits.update(caller, r);
  }

  @Override
  public ForgetResult forget(Caller caller, String rawId) {
    String id = RequestValidator.id(rawId);
    Memory old = findWritable(caller, id);
    if (old.state() != MemoryState.DELETED) {
      update(caller, new UpdateRequest(id, null, null, null, null, MemoryState.DELETED.wire()));
    }
    return new ForgetResult(id, "deleted");
  }

  @Override
  public BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest r) {
    if (r.memoryIds() != null && !r.memoryIds().isEmpty()) {
      if (r.memoryIds().size() > Limits.MAX_BATCH_IDS) {
        throw OmemException.invalid(
            r.memoryIds().size() + " memory_ids given; at most " + Limits.MAX_BATCH_IDS);
      }
      List<String> ids = r.memoryIds().stream().map(RequestValidator::id).distinct().toList();
      List<Memory> found = new ArrayList<>();
      for (String id : ids) {
        repo.find(tenant(caller), id).ifPresent(found::add);
      }
      return new BatchDeleteResult(softDelete(found), null, "ids");
    }
    MemoryFilter f = deletionFilter(caller, r);
    List<Memory> matching =
        repo.list(f, ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0).memories();
    if (!r.confirm()) {
      return new BatchDeleteResult(null, (long) matching.size(), "filter");
    }
    return new BatchDeleteResult(softDelete(matching), null, "filter");
  }

  @Override
  public long deleteAll(Caller caller) {
    return softDeleteAll(tenant(caller));
  }

  private MemoryFilter deletionFilter(Caller caller, BatchDeleteRequest r) {
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
    return new MemoryFilter(
        tenant(caller),
        null,
        RequestValidator.tags(r.tags()),
        r.category() == null ? Set.of() : Set.of(RequestValidator.category(r.category())),
        r.state() == null
            ? Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED)
            : Set.of(RequestValidator.state(r.state())),
        type,
        r.source(),
        null,
        null,
        r.before());
  }

  /** Marks those of {@code ms} not deleted yet deleted; returns how many. */
  private long softDelete(List<Memory> ms) {
    return edits.softDelete(ms);
  }

  @Override
  public IngestResult ingest(Caller caller, IngestRequest r) {
    return ingestQueue.ingest(tenant(caller), caller, r);
  }

  @Override
  public IngestTask task(Caller caller, String rawId) {
    return ingestQueue.task(tenant(caller), rawId);
  }

  @Override
  public IngestTask awaitTask(Caller caller, String id, java.time.Duration max) {
    return ingestQueue.await(tenant(caller), id, max);
  }

  @Override
  public List<HistoryEntry> history(Caller caller, String rawId) {
    return parts.queries.history(tenant(caller), rawId);
  }

  private static HistoryEntry historyEntry(
      HistoryEntry.Action action, Caller caller, String source, Instant at, String note) {
    return new HistoryEntry(
        action,
        at,
        caller == null ? null : caller.sessionId(),
        caller == null ? null : caller.agentId(),
        source,
        null,
        note);
  }

  // ---- reads ----

  @Override
  public SearchOutcome search(Caller caller, SearchRequest r) {
    return parts.queries.search(tenant(caller), caller, r);
  }

  @Override
  public Memory get(Caller caller, String rawId) {
    Memory found = find(caller, RequestValidator.id(rawId));
    // Fetched by id: someone asked for this memory by name, so a candidate is confirmed (issue
    // 14). A memory the caller may only read (another tenant's shared copy) stays as it is.
    Memory m = found;
    if (found.unconfirmed() && found.state() == MemoryState.ACTIVE) {
      try {
        m = confirm(caller, findWritable(caller, found.id()), Confirmation.FETCHED);
      } catch (OmemException readOnly) {
        m = found;
      }
    }
    parts.accesses.count(m.tenantId(), List.of(m.id()));
    return m;
  }

  @Override
  public Memory peek(Caller caller, String rawId) {
    return find(caller, RequestValidator.id(rawId));
  }

  /** Confirms a candidate (a no-op for a confirmed memory), with a history step saying why. */
  private Memory confirm(Caller caller, Memory m, String why) {
    return writer.confirm(caller, m, why);
  }

  @Override
  public void recordAccess(Caller caller, List<String> ids) {
    if (ids != null && !ids.isEmpty()) {
      parts.accesses.count(tenant(caller), List.copyOf(ids));
    }
  }

  /** Waits until the accesses queued so far are written (for the decay pass and tests). */
  public void awaitAccesses() {
    parts.accesses.await();
  }

  // ---- lifecycle ----

  @Override
  public DecayResult decay(Caller caller) {
    return decayPass(tenant(caller));
  }

  @Override
  public DecayResult decayAll() {
    return decayPass(null);
  }

  /**
   * Applies the pass {@link DecayPass} computes over the active memories, in one write, under the
   * write lock: an edit between reading a memory and moving it is never undone.
   */
  private DecayResult decayPass(String tenant) {
    return writer.locked(
        () -> {
          awaitAccesses();
          DecayPass.Plan plan = DecayPass.plan(repo.active(tenant), now());
          writer.lifecycle(
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

  @Override
  public UpkeepResult upkeep() {
    return parts.upkeep.run();
  }

  @Override
  public BackupInfo backup(Caller caller, String file) {
    if (caller.tenantId() != null) {
      // A tenant of omem serve may not copy the whole store: it holds every tenant's memories.
      throw OmemException.forbidden("backups are taken by the server's owner (omem backup)");
    }
    return parts.upkeep.backup(file);
  }

  /** The memory {@code id} in any space the caller can read; NOT_FOUND for the others. */
  private Memory find(Caller caller, String id) {
    return parts.queries.find(tenant(caller), id);
  }

  /** {@link #find}, and FORBIDDEN when the caller's role there does not let it write. */
  private Memory findWritable(Caller caller, String id) {
    return parts.queries.findWritable(tenant(caller), id);
  }

  @Override
  public MemoryPage list(Caller caller, ListRequest r) {
    return parts.queries.list(tenant(caller), caller, r);
  }

  @Override
  public Profile profile(Caller caller) {
    return parts.queries.profile(tenant(caller), caller);
  }

  @Override
  public Map<String, Object> stats(Caller caller) {
    return parts.queries.stats(tenant(caller));
  }

  @Override
  public Map<String, Object> health() {
    return parts.health.report();
  }

  @Override
  public Map<String, Object> checkIndex(java.time.Duration wait) {
    return parts.health.checkIndex(wait);
  }

  @Override
  public int reindex() {
    return index().rebuild();
  }

  /** The search pipeline, for {@code scripts/fit-relevance} (it reads the candidates' features). */
  public RetrievalPipeline retrievalPipeline() {
    return parts.pipeline;
  }

  @Override
  public boolean awaitModel(java.time.Duration timeout) {
    return embeddings.awaitReady(timeout).isPresent();
  }

  /** Stops as a crash would: the index is not committed (for recovery tests). */
  void simulateCrash() {
    importer.close();
    worker.close();
    parts.accesses.abandon();
    parts.backfill.close();
    embeddings.close();
    index().abandon();
    parts.storage.close();
    parts.lock.close();
  }

  // ---- spaces and sharing ----

  @Override
  public Space createSpace(Caller caller, SpaceRequest r) {
    return parts.spaces.create(tenant(caller), r);
  }

  @Override
  public List<Space> spaces(Caller caller) {
    return parts.spaces.list(tenant(caller));
  }

  @Override
  public Space space(Caller caller, String spaceId) {
    return parts.spaces.get(tenant(caller), spaceId);
  }

  @Override
  public Space renameSpace(Caller caller, String spaceId, String name) {
    return parts.spaces.rename(tenant(caller), spaceId, name);
  }

  @Override
  public void deleteSpace(Caller caller, String spaceId) {
    parts.spaces.delete(tenant(caller), spaceId);
    softDeleteAll(SpaceAccess.partitionOf(spaceId));
  }

  @Override
  public Space putMember(Caller caller, String spaceId, String userId, String role) {
    return parts.spaces.putMember(tenant(caller), spaceId, userId, role);
  }

  @Override
  public Space removeMember(Caller caller, String spaceId, String userId) {
    return parts.spaces.removeMember(tenant(caller), spaceId, userId);
  }

  @Override
  public List<Invitation> invitations(Caller caller) {
    return parts.spaces.invitations(tenant(caller));
  }

  @Override
  public List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return parts.spaces.spaceInvitations(tenant(caller), spaceId);
  }

  @Override
  public Space acceptInvitation(Caller caller, String invitationId) {
    return parts.spaces.accept(tenant(caller), invitationId);
  }

  @Override
  public void declineInvitation(Caller caller, String invitationId) {
    parts.spaces.decline(tenant(caller), invitationId);
  }

  @Override
  public void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    parts.spaces.revoke(tenant(caller), spaceId, invitationId);
  }

  @Override
  public AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest r) {
    return parts.spaces.addRule(tenant(caller), spaceId, r);
  }

  @Override
  public List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    return parts.spaces.rules(tenant(caller), spaceId);
  }

  @Override
  public void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    parts.spaces.deleteRule(tenant(caller), spaceId, ruleId);
  }

  @Override
  public ShareResults.Shared share(Caller caller, String memoryId, String target, String note) {
    Memory source = find(caller, RequestValidator.id(memoryId));
    return sharing.share(tenant(caller), caller, source, target, note);
  }

  @Override
  public ShareResults.Batch batchShare(Caller caller, List<String> ids, String target) {
    if (ids == null || ids.isEmpty()) {
      throw OmemException.invalid("memory_ids must list at least one id");
    }
    if (ids.size() > Limits.MAX_BATCH_IDS) {
      throw OmemException.invalid(
          ids.size() + " memory_ids given; at most " + Limits.MAX_BATCH_IDS);
    }
    return sharing.batch(
        tenant(caller), caller, ids, target, id -> find(caller, RequestValidator.id(id)));
  }

  @Override
  public ShareResults.All shareAll(Caller caller, String target, ShareResults.Filters filters) {
    return sharing.shareAll(tenant(caller), caller, target, filters);
  }

  @Override
  public ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace) {
    String id = RequestValidator.id(memoryId);
    SpaceAccess.Grant from = access.readable(tenant(caller), sourceSpace);
    Memory source =
        repo.find(from.partition(), id)
            .orElseThrow(() -> OmemException.notFound("no memory " + id + " in " + sourceSpace));
    return sharing.pull(tenant(caller), caller, source);
  }

  @Override
  public ShareResults.Unshared unshare(Caller caller, String memoryId, String target) {
    return sharing.unshare(tenant(caller), caller, RequestValidator.id(memoryId), target);
  }

  @Override
  public ShareResults.ToUser shareToUser(
      Caller caller, String memoryId, String targetUser, String note) {
    Memory source = find(caller, RequestValidator.id(memoryId));
    Sharing.Bridge b = sharing.bridge(tenant(caller), targetUser);
    ShareResults.Shared s = sharing.share(tenant(caller), caller, source, b.spaceId(), note);
    return new ShareResults.ToUser(b.spaceId(), s.copy().id(), b.created(), b.pending());
  }

  @Override
  public ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters) {
    Sharing.Bridge b = sharing.bridge(tenant(caller), targetUser);
    return new ShareResults.AllToUser(
        b.spaceId(),
        b.created(),
        b.pending(),
        sharing.shareAll(tenant(caller), caller, b.spaceId(), filters));
  }

  @Override
  public ShareResults.StaleInfo staleInfo(Caller caller, String memoryId) {
    return sharing.staleInfo(find(caller, RequestValidator.id(memoryId)));
  }

  /** Soft-deletes every memory of a partition (a tenant's, or a deleted space's); how many. */
  private long softDeleteAll(String partition) {
    return softDelete(
        repo.list(MemoryFilter.keptOf(partition), ListSort.CREATED_AT, true, Integer.MAX_VALUE, 0)
            .memories());
  }

  @Override
  public void close() {
    importer.close();
    worker.close();
    parts.accesses.close();
    parts.backfill.close();
    try {
      index().close();
    } catch (RuntimeException e) {
      // the index is a cache: SQLite already holds everything
    }
    embeddings.close();
    parts.storage.close();
    parts.lock.close();
  }

  // ---- import and export (issue 7) ----

  @Override
  public ExportResult export(Caller caller, ExportRequest req) {
    return parts.exporter.export(tenant(caller), caller, req);
  }

  @Override
  public ImportRecord importFile(Caller caller, ImportRequest req, ImportProgress progress) {
    Importer.Job job = importer.begin(tenant(caller), caller, req);
    return importer.run(job, progress == null ? ImportProgress.NONE : progress);
  }

  @Override
  public ImportRecord startImport(Caller caller, ImportRequest req) {
    return importer.startAsync(importer.begin(tenant(caller), caller, req));
  }

  @Override
  public List<ImportRecord> imports(Caller caller) {
    return importer.list(tenant(caller));
  }

  @Override
  public ImportRecord importRecord(Caller caller, String id) {
    return importer.find(tenant(caller), id);
  }

  @Override
  public ImportRecord rollbackImport(Caller caller, String id) {
    return importer.rollback(tenant(caller), id);
  }
}
