package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Category;
import dev.omem.domain.ChatModel;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.Scope;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceType;
import dev.omem.domain.Tier;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import dev.omem.index.IndexSynchronizer;
import dev.omem.ingest.AdmissionScorer;
import dev.omem.ingest.CategoryClassifier;
import dev.omem.ingest.Decision;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.LlmExtractor;
import dev.omem.ingest.LlmReconcileJudge;
import dev.omem.ingest.LocalRulesExtractor;
import dev.omem.ingest.ReconcileJudge;
import dev.omem.lifecycle.Expiry;
import dev.omem.lifecycle.Tiers;
import dev.omem.llm.ChatModels;
import dev.omem.llm.LlmSettings;
import dev.omem.profile.ProfileBuilder;
import dev.omem.retrieve.RetrievalPipeline;
import dev.omem.retrieve.SearchQuery;
import dev.omem.store.DataDirLock;
import dev.omem.store.Database;
import dev.omem.store.HistoryRepository;
import dev.omem.store.HomeIdentity;
import dev.omem.store.IdempotencyRepository;
import dev.omem.store.IngestTaskRepository;
import dev.omem.store.InvitationRepository;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.SpaceRepository;
import dev.omem.store.StoredMemory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory service over the local engine: SQLite, Lucene and the ONNX model in this process,
 * under the data directory's exclusive lock. Opening is quick: the model loads and the index
 * catches up in the background, and calls that need the index wait for it.
 */
public final class LocalMemoryService implements MemoryService {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMemoryService.class);
  private static final String TENANT_KEY = "local_tenant_id";

  private final OmemConfig config;
  private final Clock clock;
  private final DataDirLock lock;
  private final Database db;
  private final MemoryRepository repo;
  private final String tenantId;
  private final EmbeddingProvider embeddings;
  private final TrustScreen screen;
  private final CompletableFuture<IndexSynchronizer> sync;
  private final RetrievalPipeline pipeline;
  private final EmbeddingBackfill backfill;
  private final Tenants tenants;
  private final HomeIdentity homeIdentity;
  private final IdempotentWrites idempotentWrites;
  private final HookSessions hookSessions;

  /**
   * Writes access counts after the answer is out: one thread, one transaction per batch, so a
   * search never waits for the store's writer.
   */
  private final ExecutorService accessWriter =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "omem-access");
            t.setDaemon(true);
            return t;
          });

  /**
   * Smart ingest's extractor: an LLM when omem's settings name one, else the learned classifier
   * ({@code LearnedExtractor}), itself falling back to the local rules while the model loads.
   */
  private final FactExtractor extractor;

  /** The local rules: the default extractor, and the fallback of every model-based one. */
  private final FactExtractor rules = new LocalRulesExtractor();

  private final HistoryRepository history;
  private final IngestTaskRepository tasks;
  private final SpaceAccess access;
  private final Spaces spaces;
  private final Sharing sharing;
  private final FactWriter writer;
  private final IngestWorker worker;
  private final Upkeep upkeep;

  /**
   * Held while a fact is reconciled and written, so that two writers never both decide against the
   * same neighbours (the store's one writer would serialise them anyway).
   */
  private final Object writeLock = new Object();

  private final Exporter exporter;
  private final Importer importer;

  private LocalMemoryService(
      OmemConfig config,
      Clock clock,
      DataDirLock lock,
      Database db,
      LlmSettings llm,
      java.util.concurrent.CompletionStage<?> modelAfter) {
    this.config = config;
    this.clock = clock;
    this.lock = lock;
    this.db = db;
    this.repo = new MemoryRepository(db);
    this.tenantId = repo.metaIfAbsent(TENANT_KEY, UUID.randomUUID().toString());
    ModelSpec spec =
        ModelCatalog.byId(config.model())
            .orElseThrow(
                () ->
                    OmemException.invalid(
                        "unknown embedding model '"
                            + config.model()
                            + "'; known: "
                            + ModelCatalog.all().stream().map(ModelSpec::id).toList()));
    this.embeddings = new EmbeddingProvider(spec);
    this.screen = new TrustScreen(embeddings);
    this.sync =
        CompletableFuture.supplyAsync(
            () -> IndexSynchronizer.open(repo, config.home().resolve("index"), spec.id()));
    if (modelAfter != null) {
      embeddings.loadAfter(CompletableFuture.allOf(modelAfter.toCompletableFuture(), sync));
    }
    embeddings.startLoading();
    this.pipeline =
        new RetrievalPipeline(repo, this::index, embeddings, clock, config.searchMode());
    this.backfill = new EmbeddingBackfill(repo, embeddings, () -> index().catchUp());
    dev.omem.store.TenantRepository tenantRows = new dev.omem.store.TenantRepository(db);
    this.tenants =
        new Tenants(
            tenantRows, new ApiKeys(new dev.omem.store.SqliteKeyRepository(db), clock), clock);
    this.homeIdentity = HomeIdentity.establish(db, config.home());
    this.idempotentWrites = new IdempotentWrites(new IdempotencyRepository(db), clock);
    SpaceRepository spaceRows = new SpaceRepository(db);
    this.access = new SpaceAccess(spaceRows);
    this.spaces =
        new Spaces(
            spaceRows, new InvitationRepository(db), access, tenantRows, tenants, tenantId, clock);
    this.sharing =
        new Sharing(
            repo,
            access,
            spaces,
            clock,
            screen,
            w -> {
              synchronized (writeLock) {
                repo.apply(w, null);
              }
              afterWrite(w.needsVectors());
            });
    this.hookSessions =
        new HookSessions(new dev.omem.store.HookStateRepository(db), clock, this::tenant);
    this.history = new HistoryRepository(db);
    this.tasks = new IngestTaskRepository(db);
    Optional<ChatModel> model = ChatModels.from(llm, clock);
    FactExtractor local =
        new dev.omem.ingest.LearnedExtractor(
            embeddings, dev.omem.ingest.ExtractionModel.load(), rules);
    this.extractor = model.<FactExtractor>map(m -> new LlmExtractor(m, local)).orElse(local);
    this.writer =
        new FactWriter(
            repo, this::index, embeddings, model.map(LlmReconcileJudge::new), clock, screen);
    IngestPipeline pipeline =
        new IngestPipeline(
            tasks,
            extractor,
            new AdmissionScorer(AdmissionScorer.threshold(config.home(), System.getenv())),
            this::write,
            clock);
    this.worker = new IngestWorker(tasks, pipeline::run, clock);
    worker.start();
    this.exporter = new Exporter(repo, history, clock);
    this.upkeep =
        new Upkeep(
            db,
            config.home(),
            Upkeep.retention(config.home(), System.getenv()),
            clock,
            () -> {
              afterWrite(false);
              index().commit(); // prunes the change log before free pages are counted
            });
    this.importer =
        new Importer(
            repo,
            new dev.omem.store.ImportRepository(db),
            embeddings,
            writeLock,
            this::afterWrite,
            this::ingest,
            clock,
            screen);
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
    return open(config, clock, llm, null);
  }

  /**
   * As {@link #open(OmemConfig)}, loading the embedding model only once {@code modelAfter} is done
   * and the index is open: the daemon restarting after a kill answers sooner when the model's load
   * does not share the CPU with its start (BENCHMARKS.md, recovery). Until then stores are embedded
   * later by the backfill and searches are BM25 only, saying so in their trace.
   */
  public static LocalMemoryService open(
      OmemConfig config, java.util.concurrent.CompletionStage<?> modelAfter) {
    return open(
        config, Clock.systemUTC(), LlmSettings.resolve(config.home(), System.getenv()), modelAfter);
  }

  private static LocalMemoryService open(
      OmemConfig config,
      Clock clock,
      LlmSettings llm,
      java.util.concurrent.CompletionStage<?> modelAfter) {
    dev.omem.config.NativeLibraries.install(config.home());
    DataDirLock lock = DataDirLock.acquire(config.home());
    Database db = null;
    try {
      db = Database.open(config.home());
      return new LocalMemoryService(config, clock, lock, db, llm, modelAfter);
    } catch (RuntimeException e) {
      if (db != null) {
        db.close();
      }
      lock.close();
      throw e;
    }
  }

  /** The time, to the millisecond the store keeps, so an answer shows what a later read will. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  /** The tenants of {@code omem serve}, kept in this store. */
  public Tenants tenants() {
    return tenants;
  }

  /** Which home this store is: what a client checks a daemon against. */
  public HomeIdentity homeIdentity() {
    return homeIdentity;
  }

  /** The answers to keyed writes, so a retried write is applied once. */
  public IdempotentWrites idempotentWrites() {
    return idempotentWrites;
  }

  /** The store's lock: the daemon announces its port in it. */
  public DataDirLock dataDirLock() {
    return lock;
  }

  /** The Claude Code hooks' per-session state (transcript offsets, memories shown). */
  public HookSessions hookSessions() {
    return hookSessions;
  }

  /** The id of the local store's own tenant, which a {@link Caller} without one acts as. */
  public String localTenantId() {
    return tenantId;
  }

  private IndexSynchronizer index() {
    try {
      return sync.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private String tenant(Caller caller) {
    return caller.tenantId() == null ? tenantId : caller.tenantId();
  }

  // ---- writes ----

  @Override
  public Memory store(Caller caller, StoreRequest r) {
    String content = RequestValidator.content(r.content());
    List<String> tags = RequestValidator.tags(r.tags());
    Category category =
        r.category() == null
            ? CategoryClassifier.classify(content)
            : RequestValidator.category(r.category());
    String scope = ScopeRules.storeScope(r.scope(), category, caller.project());
    double importance = RequestValidator.unit("importance", r.importance(), 0.5);
    FactWriter.Candidate c =
        new FactWriter.Candidate(
            content,
            category,
            tags,
            scope,
            importance,
            0.5,
            RequestValidator.source(r.source()),
            MemoryType.PINNED);
    String tenant = tenant(caller);
    String partition = r.space() == null ? tenant : access.writable(tenant, r.space()).partition();
    return write(partition, caller, c, true, null, null).memory();
  }

  /**
   * Writes one fact: reconciled against its nearest memories ({@code reconcile}), or only kept from
   * being stored twice; {@code also} runs in the write's transaction. See {@link FactWriter}.
   */
  private FactWriter.Outcome write(
      String tenant,
      Caller caller,
      FactWriter.Candidate c,
      boolean reconcile,
      java.util.function.DoublePredicate admit,
      Function<FactWriter.Outcome, Database.SqlWork<?>> also) {
    if (c == null) {
      synchronized (writeLock) {
        repo.apply(new MemoryWrite(), also.apply(null));
      }
      return null;
    }
    FactWriter.Prepared p = writer.embed(c);
    ReconcileJudge.Verdict early = null;
    if (reconcile) {
      // Decided before taking the lock (an LLM judge may take seconds), checked again under it.
      p = writer.withNeighbours(tenant, p);
      if (admit != null && !admit.test(p.nearest())) {
        synchronized (writeLock) {
          repo.apply(new MemoryWrite(), also.apply(null)); // not admitted: only the step
        }
        return null;
      }
      early = writer.decide(p);
    }
    FactWriter.Outcome o;
    synchronized (writeLock) {
      ReconcileJudge.Verdict v;
      Optional<Memory> same = repo.findActiveDuplicate(tenant, c.scope(), c.content());
      if (same.isPresent()) {
        v = new ReconcileJudge.Verdict(Decision.SKIP, same.get().id(), null);
      } else if (reconcile) {
        FactWriter.Prepared now = writer.withNeighbours(tenant, p);
        v = sameIds(now, p) ? early : writer.decideByRules(now);
        p = now;
      } else {
        v = new ReconcileJudge.Verdict(Decision.CREATE, null, null);
      }
      o = writer.apply(tenant, caller, p, v, also);
      afterWrite(p.vector() == null);
    }
    if (SpaceType.ofId(tenant) == null
        && o.decision() != Decision.SKIP
        && o.decision() != Decision.SUPPORT) {
      // A new memory of someone's personal space (stored or extracted): their spaces' rules.
      sharing.autoShare(tenant, caller, o.memory());
    }
    return o;
  }

  private static boolean sameIds(FactWriter.Prepared a, FactWriter.Prepared b) {
    return a.neighbours().stream()
        .map(ReconcileJudge.Neighbour::id)
        .toList()
        .equals(b.neighbours().stream().map(ReconcileJudge.Neighbour::id).toList());
  }

  /**
   * Stores several memories with one batched embedding call and one transaction; what the bulk
   * paths (ingest, imports, benchmarks) use. Returns the stored (or already present) memories.
   */
  public List<Memory> storeAll(Caller caller, List<StoreRequest> requests) {
    List<Draft> drafts = new ArrayList<>();
    for (StoreRequest r : requests) {
      String content = RequestValidator.content(r.content());
      Category category =
          r.category() == null
              ? CategoryClassifier.classify(content)
              : RequestValidator.category(r.category());
      drafts.add(
          new Draft(
              content,
              RequestValidator.tags(r.tags()),
              category,
              ScopeRules.storeScope(r.scope(), category, caller.project()),
              RequestValidator.unit("importance", r.importance(), 0.5),
              0.5,
              RequestValidator.source(r.source())));
    }
    return insert(caller, drafts, MemoryType.PINNED);
  }

  /** A validated memory not yet stored. */
  private record Draft(
      String content,
      List<String> tags,
      Category category,
      String scope,
      double importance,
      double confidence,
      String source) {}

  private List<Memory> insert(Caller caller, List<Draft> drafts, MemoryType type) {
    String tenant = tenant(caller);
    Instant now = now();
    List<Memory> out = new ArrayList<>();
    List<Memory> fresh = new ArrayList<>();
    Map<String, Memory> seen = new java.util.HashMap<>();
    for (Draft d : drafts) {
      String key = d.scope() + "\n" + dev.omem.store.ContentHash.of(d.content());
      Memory existing =
          seen.computeIfAbsent(
              key, k -> repo.findActiveDuplicate(tenant, d.scope(), d.content()).orElse(null));
      if (existing != null) {
        out.add(existing); // exact duplicates are never stored twice
        continue;
      }
      Memory m =
          new Memory(
              UUID.randomUUID().toString(),
              tenant,
              SpaceAccess.personalSpace(tenant),
              d.content(),
              d.category(),
              type,
              MemoryState.ACTIVE,
              Tier.PERIPHERAL,
              d.importance(),
              d.confidence(),
              0,
              null,
              d.tags(),
              d.scope(),
              caller.agentId(),
              caller.sessionId(),
              d.source(),
              null,
              null,
              null,
              null,
              1,
              now,
              now,
              Expiry.of(d.content(), now));
      seen.put(key, m);
      fresh.add(m);
      out.add(m);
    }
    if (fresh.isEmpty()) {
      return out;
    }
    Optional<Embedder> e = embeddings.ifReady();
    List<float[]> vectors =
        e.map(x -> x.embedDocuments(fresh.stream().map(Memory::content).toList())).orElse(null);
    String model = e.map(x -> x.spec().id()).orElse(null);
    MemoryWrite w = new MemoryWrite();
    Map<String, Memory> screened = new java.util.HashMap<>();
    for (int i = 0; i < fresh.size(); i++) {
      float[] v = vectors == null ? null : vectors.get(i);
      Memory m = screen.screened(fresh.get(i), v);
      screened.put(m.id(), m);
      w.insert(new StoredMemory(m, v, model))
          .history(m, historyEntry(HistoryEntry.Action.CREATED, caller, m.source(), now, null));
    }
    repo.apply(w, null);
    out.replaceAll(m -> screened.getOrDefault(m.id(), m));
    afterWrite(vectors == null);
    return out;
  }

  private void afterWrite(boolean needsVector) {
    index().catchUp();
    if (needsVector) {
      backfill.wake();
    }
  }

  @Override
  public Memory update(Caller caller, UpdateRequest r) {
    String id = RequestValidator.id(r.id());
    String content = r.content() == null ? null : RequestValidator.content(r.content());
    List<String> tags = r.tags() == null ? null : RequestValidator.tags(r.tags());
    Category category = r.category() == null ? null : RequestValidator.category(r.category());
    MemoryState state = r.state() == null ? null : RequestValidator.state(r.state());
    Double importance =
        r.importance() == null ? null : RequestValidator.unit("importance", r.importance(), 0.5);
    if (Boolean.FALSE.equals(r.confirm())) {
      throw OmemException.invalid(
          "confirm can only be true: it confirms a candidate; to drop a memory, forget it");
    }
    boolean confirm = Boolean.TRUE.equals(r.confirm());
    if (content == null
        && tags == null
        && category == null
        && state == null
        && importance == null
        && !confirm) {
      throw OmemException.invalid(
          "nothing to update: give at least one of content, tags, category, importance, state,"
              + " confirm");
    }
    Memory old = findWritable(caller, id);
    if (old.state() == MemoryState.DELETED && state == null) {
      throw OmemException.invalid(
          "memory " + id + " was forgotten; set state to active to restore it first");
    }
    if (confirm
        && content == null
        && tags == null
        && category == null
        && state == null
        && importance == null) {
      return confirm(caller, old, Confirmation.CONFIRMED);
    }
    boolean contentChanged = content != null && !content.equals(old.content());
    Memory edited = old.edited(content, tags, category, importance, state, now());
    Memory dated =
        contentChanged ? edited.withExpiresAt(Expiry.of(content, old.createdAt())) : edited;
    Optional<Embedder> e = contentChanged ? embeddings.ifReady() : Optional.empty();
    float[] vector = e.map(x -> x.embedDocument(dated.content())).orElse(null);
    // New text is screened again; a confirmation rides along with the edit.
    Memory trusted = confirm ? Confirmation.confirmed(dated) : dated;
    Memory m = contentChanged ? screen.screened(trusted, vector) : trusted;
    HistoryEntry.Action action =
        state == null || state == old.state()
            ? HistoryEntry.Action.UPDATED
            : switch (state) {
              case DELETED -> HistoryEntry.Action.DELETED;
              case ARCHIVED -> HistoryEntry.Action.ARCHIVED;
              case ACTIVE -> HistoryEntry.Action.RESTORED;
            };
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
    MemoryWrite w =
        new MemoryWrite()
            .rewrite(m, contentChanged, vector, vector == null ? null : e.get().spec().id())
            .history(
                m,
                historyEntry(
                    action,
                    caller,
                    null,
                    m.updatedAt(),
                    fields.isEmpty() ? null : String.join(", ", fields)));
    if (confirm && old.unconfirmed()) {
      w.history(m, Confirmation.step(caller, Confirmation.CONFIRMED, m.updatedAt()));
    }
    repo.apply(w, null);
    afterWrite(contentChanged && vector == null);
    return m;
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

  /**
   * Marks those of {@code ms} not deleted yet deleted, a thousand per transaction (one fsync for a
   * batch instead of one each: 90k forgets took over an hour one by one); returns how many.
   */
  private long softDelete(List<Memory> ms) {
    List<Memory> live = ms.stream().filter(m -> m.state() != MemoryState.DELETED).toList();
    for (int i = 0; i < live.size(); i += Limits.MAX_BATCH_IDS) {
      MemoryWrite w = new MemoryWrite();
      for (Memory m : live.subList(i, Math.min(live.size(), i + Limits.MAX_BATCH_IDS))) {
        Memory d = m.edited(null, null, null, null, MemoryState.DELETED, now());
        w.rewrite(d)
            .history(d, historyEntry(HistoryEntry.Action.DELETED, null, null, d.updatedAt(), null));
      }
      repo.apply(w, null);
      afterWrite(false);
    }
    return live.size();
  }

  @Override
  public IngestResult ingest(Caller caller, IngestRequest r) {
    String mode = IngestValidation.mode(r);
    List<FactExtractor.Turn> turns = IngestValidation.turns(r);
    List<FactExtractor.Fact> given = IngestValidation.facts(r, mode);
    if (given == null && r.clientModel() != null && mode.equals("smart")) {
      // The client's own model (MCP sampling) answers only during this call: extract now.
      given = ClientExtraction.extract(r.clientModel(), turns);
    }
    String facts = given == null ? null : IngestPipeline.writeFacts(given);
    Instant now = now();
    String id = UUID.randomUUID().toString();
    tasks.create(
        new IngestTaskRepository.TaskRow(
            id,
            tenant(caller),
            "pending",
            mode,
            caller.agentId(),
            caller.sessionId(),
            caller.project(),
            facts,
            null,
            0,
            now,
            now),
        turns.stream().map(t -> new IngestTaskRepository.TurnRow(t.role(), t.content())).toList());
    worker.wake();
    return new IngestResult(id, turns.size());
  }

  @Override
  public IngestTask task(Caller caller, String rawId) {
    String id = RequestValidator.id(rawId);
    IngestTaskRepository.TaskRow t =
        tasks
            .find(tenant(caller), id)
            .orElseThrow(() -> OmemException.notFound("no ingest task with id " + id));
    List<IngestTask.Step> steps =
        tasks.steps(id).stream()
            .map(s -> new IngestTask.Step(s.decision(), s.memoryId(), s.relatedId()))
            .toList();
    return new IngestTask(id, t.status(), steps, t.error(), t.createdAt(), t.updatedAt());
  }

  @Override
  public IngestTask awaitTask(Caller caller, String id, java.time.Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    IngestTask t = task(caller, id);
    while (!t.finished() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return t;
      }
      t = task(caller, id);
    }
    return t;
  }

  @Override
  public List<HistoryEntry> history(Caller caller, String rawId) {
    Memory m = find(caller, RequestValidator.id(rawId));
    return history.of(m.tenantId(), m.id());
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
    String q = RequestValidator.query(r.query());
    int limit =
        RequestValidator.range(
            "limit", r.limit(), Limits.DEFAULT_SEARCH_LIMIT, 1, Limits.MAX_SEARCH_LIMIT);
    double minScore = RequestValidator.unit("min_score", r.minScore(), Limits.defaultMinScore());
    Set<Category> categories = new java.util.HashSet<>();
    if (r.categories() != null) {
      r.categories().forEach(c -> categories.add(RequestValidator.category(c)));
    }
    Set<MemoryState> states = new java.util.HashSet<>();
    if (r.states() != null) {
      r.states().forEach(s -> states.add(RequestValidator.state(s)));
    }
    if (r.after() != null && r.before() != null && !r.after().isBefore(r.before())) {
      throw OmemException.invalid("after must be earlier than before");
    }
    MemoryFilter f =
        new MemoryFilter(
            tenant(caller),
            ScopeRules.readScopes(r.scope(), caller.project()),
            RequestValidator.tags(r.tags()),
            categories,
            states,
            null,
            null,
            null,
            r.after(),
            r.before());
    String home = caller.project() == null ? null : Scope.project(caller.project());
    List<SpaceAccess.Grant> grants = access.readable(tenant(caller), r.spaces());
    SearchOutcome out =
        CrossSpaceSearch.run(
            grants,
            spaces -> pipeline.search(new SearchQuery(q, f, limit, minScore, home), spaces));
    if (r.countAccess()) {
      Map<String, List<String>> byPartition = new LinkedHashMap<>();
      out.results().stream()
          .limit(Limits.ACCESS_COUNTED_RESULTS)
          .forEach(
              s ->
                  byPartition
                      .computeIfAbsent(s.memory().tenantId(), k -> new ArrayList<>())
                      .add(s.memory().id()));
      byPartition.forEach(this::countAccess);
    }
    String reason = out.results().isEmpty() ? SearchReasons.empty(minScore) : null;
    return new SearchOutcome(out.results(), r.includeTrace() ? out.trace() : null, reason);
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
    countAccess(m.tenantId(), List.of(m.id()));
    return m;
  }

  /** Confirms a candidate (a no-op for a confirmed memory), with a history step saying why. */
  private Memory confirm(Caller caller, Memory m, String why) {
    if (!m.unconfirmed()) {
      return m;
    }
    Memory c;
    synchronized (writeLock) {
      Memory now = repo.find(m.tenantId(), m.id()).orElse(m);
      if (!now.unconfirmed()) {
        return now;
      }
      MemoryWrite w = new MemoryWrite();
      c = Confirmation.confirm(w, now, caller, why, now());
      repo.apply(w, null);
    }
    afterWrite(false);
    return c;
  }

  @Override
  public void recordAccess(Caller caller, List<String> ids) {
    if (ids != null && !ids.isEmpty()) {
      countAccess(tenant(caller), List.copyOf(ids));
    }
  }

  /** Queues one access for each id; written after the caller has its answer. */
  private void countAccess(String tenant, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Instant at = now();
    try {
      accessWriter.execute(
          () -> {
            try {
              repo.recordAccess(tenant, ids, at);
            } catch (RuntimeException e) {
              LOG.warn("counting accesses failed: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      // closing: an access more or less is not worth delaying the shutdown
    }
  }

  /** Waits until the accesses queued so far are written (for the decay pass and tests). */
  public void awaitAccesses() {
    try {
      accessWriter.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      // nothing queued can be waited for any more
    }
  }

  // ---- lifecycle ----

  @Override
  public DecayResult decay(Caller caller) {
    return decayPass(tenant(caller));
  }

  /** One lifecycle pass over every tenant's memories: what the daemon runs periodically. */
  public DecayResult decayAll() {
    return decayPass(null);
  }

  private synchronized DecayResult decayPass(String tenant) {
    awaitAccesses();
    Instant now = now();
    long promoted = 0;
    long demoted = 0;
    long archived = 0;
    Map<String, Long> moves = new java.util.TreeMap<>();
    List<Memory> changed = new ArrayList<>();
    List<MemoryWrite.HistoryRow> steps = new ArrayList<>();
    List<Memory> active = repo.active(tenant);
    for (Memory m : active) {
      if (m.expiresAt() != null && !m.expiresAt().isAfter(now)) {
        changed.add(m.edited(null, null, null, null, MemoryState.ARCHIVED, now));
        steps.add(
            new MemoryWrite.HistoryRow(
                m.id(),
                m.tenantId(),
                historyEntry(HistoryEntry.Action.ARCHIVED, null, "decay", now, "expired")));
        archived++;
        moves.merge("active->archived", 1L, Long::sum);
        continue;
      }
      Tier next = Tiers.next(m, now);
      if (next != m.tier()) {
        changed.add(m.withTier(next));
        steps.add(
            new MemoryWrite.HistoryRow(
                m.id(),
                m.tenantId(),
                historyEntry(
                    HistoryEntry.Action.TIER_CHANGED,
                    null,
                    "decay",
                    now,
                    m.tier().wire() + " -> " + next.wire())));
        if (next.ordinal() < m.tier().ordinal()) {
          promoted++;
        } else {
          demoted++;
        }
        moves.merge(m.tier().wire() + "->" + next.wire(), 1L, Long::sum);
      }
    }
    if (!changed.isEmpty()) {
      repo.updateLifecycle(changed, steps);
      afterWrite(false);
    }
    return new DecayResult(active.size(), promoted, demoted, archived, moves);
  }

  /** One upkeep pass ({@link Upkeep#run}): what the daemon runs next to the hourly decay pass. */
  public UpkeepResult upkeep() {
    return upkeep.run();
  }

  @Override
  public BackupInfo backup(Caller caller, String file) {
    if (caller.tenantId() != null) {
      // A tenant of omem serve may not copy the whole store: it holds every tenant's memories.
      throw OmemException.forbidden("backups are taken by the server's owner (omem backup)");
    }
    return upkeep.backup(file);
  }

  /** The memory {@code id} in any space the caller can read; NOT_FOUND for the others. */
  private Memory find(Caller caller, String id) {
    for (SpaceAccess.Grant g : access.all(tenant(caller))) {
      Optional<Memory> m = repo.find(g.partition(), id);
      if (m.isPresent()) {
        return m.get();
      }
    }
    throw OmemException.notFound("no memory with id " + id);
  }

  /** {@link #find}, and FORBIDDEN when the caller's role there does not let it write. */
  private Memory findWritable(Caller caller, String id) {
    Memory m = find(caller, id);
    access.ofPartition(tenant(caller), m.tenantId()).requireWrite();
    return m;
  }

  @Override
  public MemoryPage list(Caller caller, ListRequest r) {
    int limit =
        RequestValidator.range(
            "limit", r.limit(), Limits.DEFAULT_LIST_LIMIT, 1, Limits.MAX_LIST_LIMIT);
    int offset = RequestValidator.range("offset", r.offset(), 0, 0, Integer.MAX_VALUE);
    Set<MemoryState> states =
        r.state() == null
            ? Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED)
            : Set.of(RequestValidator.state(r.state()));
    Set<Category> categories =
        r.category() == null ? Set.of() : Set.of(RequestValidator.category(r.category()));
    MemoryType type = r.memoryType() == null ? null : RequestValidator.memoryType(r.memoryType());
    ListSort sort =
        r.sort() == null
            ? ListSort.CREATED_AT
            : ListSort.parse(r.sort())
                .orElseThrow(
                    () ->
                        OmemException.invalid(
                            "unknown sort '"
                                + r.sort()
                                + "'; use created_at, updated_at, importance or access_count"));
    boolean asc;
    if (r.order() == null || r.order().equalsIgnoreCase("desc")) {
      asc = false;
    } else if (r.order().equalsIgnoreCase("asc")) {
      asc = true;
    } else {
      throw OmemException.invalid("order must be 'asc' or 'desc', got '" + r.order() + "'");
    }
    String partition =
        r.space() == null ? tenant(caller) : access.readable(tenant(caller), r.space()).partition();
    MemoryFilter f =
        new MemoryFilter(
            partition,
            ScopeRules.readScopes(r.scope(), caller.project()),
            RequestValidator.tags(r.tags()),
            categories,
            states,
            type,
            null,
            null,
            null,
            null);
    return repo.list(f, sort, asc, limit, offset);
  }

  @Override
  public Profile profile(Caller caller) {
    return new ProfileBuilder(repo, clock)
        .build(tenant(caller), ScopeRules.readScopes(null, caller.project()));
  }

  @Override
  public Map<String, Object> stats(Caller caller) {
    return new StatsBuilder(repo, clock).build(tenant(caller));
  }

  @Override
  public Map<String, Object> health() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("data_dir", config.home().toString());
    h.put("database", db.file().toString());
    h.put("schema_version", db.schemaVersion());
    h.put("tenant_id", tenantId);
    h.put("model", embeddings.spec().id());
    h.put("model_status", embeddings.status());
    IndexSynchronizer s = index();
    s.catchUp();
    h.put("index_dir", s.dir().toString());
    h.put("index_status", s.status().describe());
    h.put("index_documents", s.documents());
    h.put("index_lag", s.lag());
    h.put("memories", repo.countAll());
    h.put("memories_without_vector", repo.countWithoutEmbedding(embeddings.spec().id()));
    return h;
  }

  /**
   * {@code omem doctor}'s index check: every file's checksum verified now, a damaged index rebuilt
   * from the store (waiting up to {@code wait}), and what was found and done. Never throws.
   */
  public Map<String, Object> checkIndex(java.time.Duration wait) {
    try {
      return IndexReport.of(index().verifyNow(wait));
    } catch (RuntimeException e) {
      return IndexReport.failed(e);
    }
  }

  /** Rebuilds the index from SQLite and the stored vectors; returns the memories indexed. */
  public int reindex() {
    return index().rebuild();
  }

  /** Waits until the embedding model is ready (for the CLI and benchmarks); false on failure. */
  /** The search pipeline, for {@code scripts/fit-relevance} (it reads the candidates' features). */
  public RetrievalPipeline retrievalPipeline() {
    return pipeline;
  }

  public boolean awaitModel(java.time.Duration timeout) {
    return embeddings.awaitReady(timeout).isPresent();
  }

  /** Stops as a crash would: the index is not committed (for recovery tests). */
  void simulateCrash() {
    importer.close();
    worker.close();
    accessWriter.shutdownNow();
    backfill.close();
    embeddings.close();
    index().abandon();
    db.close();
    lock.close();
  }

  // ---- spaces and sharing ----

  @Override
  public Space createSpace(Caller caller, SpaceRequest r) {
    return spaces.create(tenant(caller), r);
  }

  @Override
  public List<Space> spaces(Caller caller) {
    return spaces.list(tenant(caller));
  }

  @Override
  public Space space(Caller caller, String spaceId) {
    return spaces.get(tenant(caller), spaceId);
  }

  @Override
  public Space renameSpace(Caller caller, String spaceId, String name) {
    return spaces.rename(tenant(caller), spaceId, name);
  }

  @Override
  public void deleteSpace(Caller caller, String spaceId) {
    spaces.delete(tenant(caller), spaceId);
    softDeleteAll(SpaceAccess.partitionOf(spaceId));
  }

  @Override
  public Space putMember(Caller caller, String spaceId, String userId, String role) {
    return spaces.putMember(tenant(caller), spaceId, userId, role);
  }

  @Override
  public Space removeMember(Caller caller, String spaceId, String userId) {
    return spaces.removeMember(tenant(caller), spaceId, userId);
  }

  @Override
  public List<Invitation> invitations(Caller caller) {
    return spaces.invitations(tenant(caller));
  }

  @Override
  public List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return spaces.spaceInvitations(tenant(caller), spaceId);
  }

  @Override
  public Space acceptInvitation(Caller caller, String invitationId) {
    return spaces.accept(tenant(caller), invitationId);
  }

  @Override
  public void declineInvitation(Caller caller, String invitationId) {
    spaces.decline(tenant(caller), invitationId);
  }

  @Override
  public void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    spaces.revoke(tenant(caller), spaceId, invitationId);
  }

  @Override
  public AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest r) {
    return spaces.addRule(tenant(caller), spaceId, r);
  }

  @Override
  public List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    return spaces.rules(tenant(caller), spaceId);
  }

  @Override
  public void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    spaces.deleteRule(tenant(caller), spaceId, ruleId);
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
    accessWriter.shutdown();
    try {
      accessWriter.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    backfill.close();
    try {
      index().close();
    } catch (RuntimeException e) {
      // the index is a cache: SQLite already holds everything
    }
    embeddings.close();
    db.close();
    lock.close();
  }

  // ---- import and export (issue 7) ----

  @Override
  public ExportResult export(Caller caller, ExportRequest req) {
    return exporter.export(tenant(caller), caller, req);
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
