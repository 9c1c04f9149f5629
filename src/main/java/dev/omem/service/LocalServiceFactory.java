package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.config.RerankSetting;
import dev.omem.domain.ChatModel;
import dev.omem.domain.OmemException;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import dev.omem.index.ChangeFollower;
import dev.omem.index.IndexSynchronizer;
import dev.omem.index.ReplicationLag;
import dev.omem.ingest.AdmissionScorer;
import dev.omem.ingest.ExtractionModel;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.LearnedExtractor;
import dev.omem.ingest.LlmExtractor;
import dev.omem.ingest.LlmReconcileJudge;
import dev.omem.ingest.LocalRulesExtractor;
import dev.omem.llm.ChatModels;
import dev.omem.llm.LlmSettings;
import dev.omem.retrieve.RetrievalPipeline;
import dev.omem.store.Coordination;
import dev.omem.store.DataDirLock;
import dev.omem.store.HistoryRepository;
import dev.omem.store.HomeIdentity;
import dev.omem.store.IngestTaskRepository;
import dev.omem.store.MemoryRepository;
import dev.omem.store.SpaceRepository;
import dev.omem.store.Storage;
import dev.omem.store.TenantRepository;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The wiring of the local service: its parts over one data directory, built once in dependency
 * order. {@link #open} takes the directory's lock and opens the store; the service keeps the parts
 * it calls and closes them. The two parts that call back into the service's write path (the ingest
 * worker and the importer) are built by the service's constructor through {@link #ingestWorker} and
 * {@link #importer}.
 */
final class LocalServiceFactory {
  private static final String TENANT_KEY = "local_tenant_id";

  final OmemConfig config;
  final Clock clock;
  final DataDirLock lock;
  final Storage storage;
  final MemoryRepository repo;
  final String tenantId;
  final EmbeddingProvider embeddings;
  final TrustScreen screen;
  final OpeningIndex index;
  final RetrievalPipeline pipeline;
  final EmbeddingBackfill backfill;
  final Tenants tenants;
  final HomeIdentity homeIdentity;
  final IdempotentWrites idempotentWrites;
  final SpaceAccess access;
  final Spaces spaces;
  final Sharing sharing;
  final HookSessions hookSessions;
  final HistoryRepository history;
  final IngestTaskRepository tasks;

  /**
   * Smart ingest's extractor: the agent's CLI when the user opted in ({@code OMEM_EXTRACTOR=
   * agent-cli}), else an LLM when omem's settings name one, else the learned classifier ({@code
   * LearnedExtractor}, also the fallback of both), itself falling back to the local rules while the
   * model loads.
   */
  final FactExtractor extractor;

  final MemoryWriter writer;
  final MemoryEdits edits;
  final Exporter exporter;
  final Upkeep upkeep;
  final AccessCounter accesses;
  final MemoryQueries queries;
  final RerankedSearch reranking;
  final StoreHealth health;
  final ServerProbe probe;

  /** The cluster's wake-up and lock (a store of its own: local ones). */
  final Coordination coordination;

  final ClusterPasses passes;

  /** When other nodes' writes became searchable here ({@code /metrics}). */
  final ReplicationLag replicationLag = new ReplicationLag();

  /** Follows the change log other nodes write; null for a store only this process writes. */
  final ChangeFollower follower;

  /** Opens the store in {@code config.home()}, failing at once if another process holds it. */
  static LocalMemoryService open(
      OmemConfig config, Clock clock, LlmSettings llm, CompletionStage<?> modelAfter) {
    dev.omem.config.NativeLibraries.install(config.home());
    DataDirLock lock = DataDirLock.acquire(config.home());
    StoreOpener.Opened opened = null;
    try {
      opened = StoreOpener.open(config, config.env());
      return new LocalMemoryService(
          new LocalServiceFactory(
              config, clock, lock, opened.storage(), opened.coordination(), llm, modelAfter));
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.coordination().close();
        opened.storage().close();
      }
      lock.close();
      throw e;
    }
  }

  private LocalServiceFactory(
      OmemConfig config,
      Clock clock,
      DataDirLock lock,
      Storage storage,
      Coordination coordination,
      LlmSettings llm,
      CompletionStage<?> modelAfter) {
    this.config = config;
    this.coordination = coordination;
    this.clock = clock;
    this.lock = lock;
    this.storage = storage;
    this.repo = storage.memories();
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
    this.index =
        new OpeningIndex(
            () ->
                IndexSynchronizer.open(
                    repo,
                    config.home().resolve("index"),
                    spec.id(),
                    coordination.signal().shared(),
                    replicationLag));
    this.follower =
        coordination.signal().shared()
            ? ChangeFollower.start(index, coordination.signal(), FollowSettings.poll(coordination))
            : null;
    if (modelAfter != null) {
      embeddings.loadAfter(
          CompletableFuture.allOf(modelAfter.toCompletableFuture(), index.opened()));
    }
    embeddings.startLoading();
    this.pipeline = new RetrievalPipeline(repo, index, embeddings, clock, config.searchMode());
    this.backfill = new EmbeddingBackfill(repo, embeddings, () -> index.get().catchUp());
    TenantRepository tenantRows = storage.tenants();
    this.tenants = new Tenants(tenantRows, new ApiKeys(storage.keys(), clock), clock);
    this.homeIdentity = HomeIdentity.establish(repo, config.home());
    this.idempotentWrites = new IdempotentWrites(storage.idempotency(), clock);
    SpaceRepository spaceRows = storage.spaces();
    this.access = new SpaceAccess(spaceRows);
    this.spaces =
        new Spaces(spaceRows, storage.invitations(), access, tenantRows, tenants, tenantId, clock);
    this.hookSessions = new HookSessions(storage.hookState(), clock, c -> tenantOf(c, tenantId));
    this.history = storage.history();
    this.tasks = storage.ingestTasks();
    Optional<ChatModel> model = ChatModels.from(llm, clock);
    this.reranking = reranking(config, llm, model);
    FactExtractor local =
        new LearnedExtractor(embeddings, ExtractionModel.load(), new LocalRulesExtractor());
    this.extractor =
        ChatModels.forExtraction(
                dev.omem.llm.AgentCliSettings.resolve(config.home(), config.env()),
                model,
                config.env(),
                clock)
            .<FactExtractor>map(m -> new LlmExtractor(m, local))
            .orElse(local);
    this.writer =
        new MemoryWriter(
            repo,
            new FactWriter(
                repo, index, embeddings, model.map(LlmReconcileJudge::new), clock, screen),
            index,
            backfill::wake,
            embeddings,
            screen,
            clock,
            this::autoShare);
    this.sharing = new Sharing(repo, access, spaces, clock, screen, writer);
    this.exporter = new Exporter(repo, history, clock);
    this.upkeep =
        new Upkeep(
            storage.upkeep(),
            config.home(),
            Upkeep.retention(config.home(), config.env()),
            clock,
            () -> {
              writer.afterWrite(false);
              index.get().commit(); // prunes the change log before free pages are counted
            },
            coordination.signal().shared() ? repo : null);
    this.accesses = new AccessCounter(repo, clock);
    this.queries =
        new MemoryQueries(
            repo,
            history,
            access,
            pipeline,
            accesses,
            clock,
            new SuccessorLead(repo, index, embeddings));
    this.edits =
        new MemoryEdits(
            repo,
            writer,
            embeddings,
            screen,
            clock,
            (caller, id) -> queries.findWritable(tenantOf(caller, tenantId), id));
    this.health =
        new StoreHealth(config.home(), storage.upkeep(), repo, tenantId, embeddings, index);
    this.probe = new StoreProbe(storage.upkeep(), index, tasks, replicationLag);
    this.passes = new ClusterPasses(coordination, repo, clock);
  }

  /** Stops following the change log and the cluster's signal (before the store closes). */
  void closeCluster() {
    if (follower != null) {
      follower.close();
    }
    coordination.close();
  }

  /** The tenant a caller acts as: its own, or the local store's for a caller without one. */
  static String tenantOf(Caller caller, String localTenantId) {
    return caller.tenantId() == null ? localTenantId : caller.tenantId();
  }

  /** A personal memory just written, through its owner's auto-share rules. */
  private void autoShare(String tenant, Caller caller, dev.omem.domain.Memory written) {
    sharing.autoShare(tenant, caller, written);
  }

  /** The ingest worker, started: each extracted fact goes through {@code gate}. */
  IngestWorker ingestWorker(IngestPipeline.WriteGate gate) {
    IngestPipeline ingest =
        new IngestPipeline(
            tasks,
            extractor,
            new AdmissionScorer(AdmissionScorer.threshold(config.home(), config.env())),
            gate,
            clock);
    IngestWorker worker =
        new IngestWorker(tasks, ingest::run, clock, coordination.signal().shared());
    worker.start();
    return worker;
  }

  /** The importer; a file of sessions is queued for smart ingest through {@code ingest}. */
  Importer importer(BiFunction<Caller, IngestRequest, IngestResult> ingest) {
    return new Importer(
        repo,
        storage.imports(),
        embeddings,
        writer,
        ingest,
        clock,
        screen,
        new ImportSpool(config.home()));
  }

  /**
   * The reranking of searches: with the configured LLM when the user chose {@code OMEM_RERANK=llm}
   * and configured one (said in the log when not); else only a request's client model reranks.
   */
  private static RerankedSearch reranking(
      OmemConfig config, LlmSettings llm, Optional<ChatModel> model) {
    if (RerankSetting.resolve(config.home(), config.env()) != RerankSetting.Mode.LLM) {
      return RerankedSearch.clientModelOnly();
    }
    if (model.isEmpty()) {
      org.slf4j.LoggerFactory.getLogger(LocalServiceFactory.class)
          .warn(
              "{}=llm but no LLM is configured ({}): searches are not reranked",
              RerankSetting.VARIABLE,
              LlmSettings.PROVIDER_VARIABLE);
    }
    return new RerankedSearch(ChatModels.forRerank(llm, model, RerankedSearch.SEARCH_WAIT));
  }
}
