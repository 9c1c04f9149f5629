package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.index.IndexSynchronizer;
import dev.omem.llm.LlmSettings;
import dev.omem.retrieve.RetrievalPipeline;
import dev.omem.store.HomeIdentity;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The memory service over the local engine: SQLite, Lucene and the ONNX model in this process,
 * under the data directory's exclusive lock. A facade: {@link LocalServiceFactory} wires the parts,
 * reads go to {@link MemoryQueries}, access counts to {@link AccessCounter}, ingest requests to
 * {@link IngestQueue}, the decay pass is computed by {@code lifecycle.DecayPass}, health by {@link
 * StoreHealth}; the writes are here. Opening is quick: the model loads and the index catches up in
 * the background, and calls that need the index wait for it.
 */
public final class LocalMemoryService extends LocalSpacesFacade {
  private final Clock clock;
  private final String tenantId;
  private final EmbeddingProvider embeddings;
  private final MemoryWriter writer;
  private final MemoryDeletions deletions;
  private final IngestWorker worker;
  private final IngestQueue ingestQueue;
  private final LocalServiceFactory parts;
  private final Importer importer;

  LocalMemoryService(LocalServiceFactory p) {
    super(p.spaces, p.sharing, p.access, p.repo, p.clock);
    this.parts = p;
    this.clock = p.clock;
    this.tenantId = p.tenantId;
    this.embeddings = p.embeddings;
    this.writer = p.writer;
    this.deletions =
        new MemoryDeletions(p.repo, p.edits, (c, id) -> parts.queries.findWritable(tenant(c), id));
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

  @Override
  public ServerProbe probe() {
    return parts.probe;
  }

  @Override
  public boolean oncePerCluster(String name, java.time.Duration every, Runnable work) {
    return parts.passes.runDue(name, every, work);
  }

  /** The id of the local store's own tenant, which a {@link Caller} without one acts as. */
  public String localTenantId() {
    return tenantId;
  }

  private IndexSynchronizer index() {
    return parts.index.get();
  }

  @Override
  String tenant(Caller caller) {
    return LocalServiceFactory.tenantOf(caller, tenantId);
  }

  @Override
  public Memory store(Caller caller, StoreRequest r) {
    StoreDraft d = StoreDraft.of(r, caller.project());
    String tenant = tenant(caller);
    String partition =
        r.space() == null ? tenant : parts.access.writable(tenant, r.space()).partition();
    return writer
        .fact(partition, caller, d.candidate(0.5, MemoryType.PINNED), true, null, null)
        .memory();
  }

  /**
   * Stores several memories with one batched embedding call and one transaction; what the bulk
   * paths (ingest, imports, benchmarks) use. Returns the stored (or already present) memories.
   */
  public List<Memory> storeAll(Caller caller, List<StoreRequest> requests) {
    List<StoreDraft> drafts =
        requests.stream().map(r -> StoreDraft.of(r, caller.project())).toList();
    return writer.insertAll(tenant(caller), caller, drafts, MemoryType.PINNED);
  }

  @Override
  public Memory update(Caller caller, UpdateRequest r) {
    return parts.edits.update(caller, r);
  }

  @Override
  public ForgetResult forget(Caller caller, String rawId) {
    return deletions.forget(caller, rawId);
  }

  @Override
  public BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest r) {
    return deletions.batchDelete(tenant(caller), r);
  }

  @Override
  public long deleteAll(Caller caller) {
    return deletions.deleteAll(tenant(caller));
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

  // ---- reads ----

  @Override
  public SearchOutcome search(Caller caller, SearchRequest r) {
    String tenant = tenant(caller);
    return parts.reranking.search(r, q -> parts.queries.search(tenant, caller, q));
  }

  @Override
  public Memory get(Caller caller, String rawId) {
    Memory found = find(caller, RequestValidator.id(rawId));
    // Fetched by id: someone asked for this memory by name, so a candidate is confirmed (issue
    // 14). A memory the caller may only read (another tenant's shared copy) stays as it is.
    Memory m = found;
    if (found.unconfirmed() && found.state() == MemoryState.ACTIVE) {
      try {
        m =
            confirm(
                caller,
                parts.queries.findWritable(tenant(caller), found.id()),
                Confirmation.FETCHED);
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

  private DecayResult decayPass(String tenant) {
    return writer.decay(tenant, this::awaitAccesses);
  }

  @Override
  public UpkeepResult upkeep() {
    return parts.upkeep.run();
  }

  @Override
  public BackupInfo backup(Caller caller, String file) {
    return parts.upkeep.backup(caller, file);
  }

  /** The memory {@code id} in any space the caller can read; NOT_FOUND for the others. */
  @Override
  Memory find(Caller caller, String id) {
    return parts.queries.find(tenant(caller), id);
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
    awaitAccesses(); // counts include the accesses already answered, whichever way the call came
    return parts.queries.stats(tenant(caller));
  }

  @Override
  public StoreShape shape(Caller caller) {
    return parts.queries.shape(tenant(caller));
  }

  @Override
  public List<HookInjection> recentInjections(Caller caller, int limit) {
    return parts.hookSessions.recent(caller, limit);
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

  /** The searches that looked in the index for a superseded memory ({@link SuccessorLead}). */
  long successorLookUps() {
    return parts.queries.successorLookUps();
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

  @Override
  void forgetPartition(String partition) {
    deletions.deleteAll(partition);
  }

  @Override
  public void close() {
    importer.close();
    worker.close();
    parts.accesses.close();
    parts.backfill.close();
    parts.closeCluster();
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
  public ExportResult export(Caller caller, ExportRequest req, Writer out) {
    return parts.exporter.export(tenant(caller), caller, req, out);
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
