package dev.omem.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.AutoShareRule;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.BackupInfo;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.BatchDeleteResult;
import dev.omem.service.Caller;
import dev.omem.service.DecayResult;
import dev.omem.service.ExportRequest;
import dev.omem.service.ExportResult;
import dev.omem.service.ForgetResult;
import dev.omem.service.ImportProgress;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.RerankedSearch;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.io.Writer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory service of a remote omem or ourmem server: every call is one request of the REST
 * dialect in docs/rest-api.md (DESIGN.md "Layers", decision 5). The server validates, scopes and
 * ranks; this facade hands each call to the client of its area ({@link MemoryClient}, {@link
 * SpaceClient}, {@link ImportClient}), which map it to a route through the shared wire records
 * ({@code dev.omem.wire}); it needs nothing but a URL and a key.
 *
 * <p>The caller travels in headers: {@code X-Omem-Project} (or the {@code project} parameter when
 * the key is not ASCII), {@code X-Agent-Id}, {@code X-Omem-Session}. {@code Caller.tenantId()} is
 * not sent: the API key decides the tenant.
 *
 * <p>Timeouts, retries and the errors of an absent server are {@link RemoteHttp}'s (one okhttp
 * client, retries in {@link RetryInterceptor}). Thread-safe.
 */
public final class RemoteMemoryService implements MemoryService {
  private static final RerankedSearch RERANK = RerankedSearch.clientModelOnly();

  private final RemoteHttp http;
  private final MemoryClient memories;
  private final SpaceClient spaces;
  private final ImportClient imports;

  /** A client of {@code endpoint}, whose address may change between calls (the local daemon). */
  public RemoteMemoryService(Endpoint endpoint) {
    this.http = new RemoteHttp(endpoint);
    this.memories = new MemoryClient(http);
    this.spaces = new SpaceClient(http);
    this.imports = new ImportClient(http);
  }

  /** A client of one remote server. */
  public RemoteMemoryService(RemoteConfig config) {
    this(Endpoint.fixed(config));
  }

  /** A client of the server at {@code url} (e.g. {@code http://127.0.0.1:8080}). */
  public static RemoteMemoryService connect(String url, String apiKey) {
    return new RemoteMemoryService(RemoteConfig.of(url, apiKey));
  }

  @Override
  public Memory store(Caller caller, StoreRequest r) {
    return memories.store(caller, r);
  }

  @Override
  public IngestResult ingest(Caller caller, IngestRequest original) {
    return memories.ingest(caller, original);
  }

  @Override
  public IngestResult ingest(Caller caller, IngestRequest r, String idempotencyKey) {
    return memories.ingest(caller, r, idempotencyKey);
  }

  @Override
  public IngestTask task(Caller caller, String taskId) {
    return memories.task(caller, taskId);
  }

  @Override
  public IngestTask awaitTask(Caller caller, String taskId, Duration max) {
    return memories.awaitTask(caller, taskId, max);
  }

  @Override
  public List<HistoryEntry> history(Caller caller, String id) {
    return memories.history(caller, id);
  }

  @Override
  public Memory update(Caller caller, UpdateRequest r) {
    return memories.update(caller, r);
  }

  @Override
  public ForgetResult forget(Caller caller, String rawId) {
    return memories.forget(caller, rawId);
  }

  @Override
  public BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest r) {
    return memories.batchDelete(caller, r);
  }

  @Override
  public long deleteAll(Caller caller) {
    return memories.deleteAll(caller);
  }

  @Override
  public SearchOutcome search(Caller caller, SearchRequest r) {
    // The client's model answers only in this process (the MCP session's): it reranks here, the
    // server's candidates, and the server then does not rerank them too. Without a client model
    // the server reranks with its own LLM when its user chose that: one model per search.
    return RERANK.search(r, q -> memories.search(caller, q));
  }

  @Override
  public Memory get(Caller caller, String id) {
    return memories.get(caller, id);
  }

  @Override
  public MemoryPage list(Caller caller, ListRequest r) {
    return memories.list(caller, r);
  }

  @Override
  public Profile profile(Caller caller) {
    return memories.profile(caller);
  }

  @Override
  public Map<String, Object> stats(Caller caller) {
    return memories.stats(caller);
  }

  @Override
  public DecayResult decay(Caller caller) {
    return memories.decay(caller);
  }

  @Override
  public BackupInfo backup(Caller caller, String file) {
    return memories.backup(caller, file);
  }

  @Override
  public Space createSpace(Caller caller, SpaceRequest r) {
    return spaces.createSpace(caller, r);
  }

  @Override
  public List<Space> spaces(Caller caller) {
    return spaces.spaces(caller);
  }

  @Override
  public Space space(Caller caller, String spaceId) {
    return spaces.space(caller, spaceId);
  }

  @Override
  public Space renameSpace(Caller caller, String spaceId, String name) {
    return spaces.renameSpace(caller, spaceId, name);
  }

  @Override
  public void deleteSpace(Caller caller, String spaceId) {
    spaces.deleteSpace(caller, spaceId);
  }

  @Override
  public Space putMember(Caller caller, String spaceId, String userId, String role) {
    return spaces.putMember(caller, spaceId, userId, role);
  }

  @Override
  public Space removeMember(Caller caller, String spaceId, String userId) {
    return spaces.removeMember(caller, spaceId, userId);
  }

  @Override
  public List<Invitation> invitations(Caller caller) {
    return spaces.invitations(caller);
  }

  @Override
  public List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return spaces.spaceInvitations(caller, spaceId);
  }

  @Override
  public Space acceptInvitation(Caller caller, String invitationId) {
    return spaces.acceptInvitation(caller, invitationId);
  }

  @Override
  public void declineInvitation(Caller caller, String invitationId) {
    spaces.declineInvitation(caller, invitationId);
  }

  @Override
  public void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    spaces.revokeInvitation(caller, spaceId, invitationId);
  }

  @Override
  public AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest r) {
    return spaces.addAutoShareRule(caller, spaceId, r);
  }

  @Override
  public List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    return spaces.autoShareRules(caller, spaceId);
  }

  @Override
  public void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    spaces.deleteAutoShareRule(caller, spaceId, ruleId);
  }

  @Override
  public ShareResults.Shared share(Caller caller, String memoryId, String target, String note) {
    return spaces.share(caller, memoryId, target, note);
  }

  @Override
  public ShareResults.Batch batchShare(Caller caller, List<String> ids, String target) {
    return spaces.batchShare(caller, ids, target);
  }

  @Override
  public ShareResults.All shareAll(Caller caller, String target, ShareResults.Filters filters) {
    return spaces.shareAll(caller, target, filters);
  }

  @Override
  public ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace) {
    return spaces.pull(caller, memoryId, sourceSpace);
  }

  @Override
  public ShareResults.Unshared unshare(Caller caller, String memoryId, String target) {
    return spaces.unshare(caller, memoryId, target);
  }

  @Override
  public ShareResults.ToUser shareToUser(
      Caller caller, String memoryId, String targetUser, String note) {
    return spaces.shareToUser(caller, memoryId, targetUser, note);
  }

  @Override
  public ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters) {
    return spaces.shareAllToUser(caller, targetUser, filters);
  }

  @Override
  public ShareResults.StaleInfo staleInfo(Caller caller, String memoryId) {
    return spaces.staleInfo(caller, memoryId);
  }

  @Override
  public ExportResult export(Caller caller, ExportRequest r, Writer out) {
    return imports.export(caller, r, out);
  }

  @Override
  public ImportRecord importFile(Caller caller, ImportRequest r, ImportProgress progress) {
    return imports.importFile(caller, r, progress);
  }

  @Override
  public ImportRecord startImport(Caller caller, ImportRequest r) {
    return imports.startImport(caller, r);
  }

  @Override
  public List<ImportRecord> imports(Caller caller) {
    return imports.imports(caller);
  }

  @Override
  public ImportRecord importRecord(Caller caller, String id) {
    return imports.importRecord(caller, id);
  }

  @Override
  public ImportRecord rollbackImport(Caller caller, String id) {
    return imports.rollbackImport(caller, id);
  }

  /**
   * What {@code omem doctor} shows in remote mode: {@code mode}, {@code url}, {@code status} (the
   * server's, or {@code unreachable}), {@code version}, {@code api_key} ({@code accepted}, {@code
   * refused} or {@code unchecked}) and {@code error} when something failed. Never throws for a
   * server that is down: reporting that is the point.
   */
  @Override
  public Map<String, Object> health() {
    RemoteConfig cfg = http.endpoint().current();
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("mode", "remote");
    h.put("url", cfg.url().toString());
    h.put("timeout_ms", cfg.timeout().toMillis());
    try {
      RemoteRequest health = RemoteRequest.get("health");
      JsonNode j = http.send(http.endpoint().keyOnEveryRoute() ? health : health.anonymous());
      h.put("status", j.path("status").asText("unknown"));
      h.put("version", j.path("version").asText("not reported"));
    } catch (OmemException e) {
      h.put("status", e.code() == ErrorCode.UNAVAILABLE ? "unreachable" : "failing");
      h.put("version", "unknown");
      h.put("api_key", "unchecked");
      h.put("error", e.getMessage());
      return h;
    }
    try {
      // The cheapest authenticated route: does the key open anything?
      http.send(RemoteRequest.get("v1", "memories").query("limit", 1));
      h.put("api_key", "accepted");
    } catch (OmemException e) {
      h.put("api_key", e.code() == ErrorCode.UNAUTHORIZED ? "refused" : "unchecked");
      h.put("error", e.getMessage());
    }
    return h;
  }

  /** Releases okhttp's threads and pooled connections; later calls fail as unavailable. */
  @Override
  public void close() {
    http.close();
  }
}
