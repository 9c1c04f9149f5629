package dev.omem.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.AutoShareRule;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJsonReader;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import dev.omem.remote.RemoteHttp.Req;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.BackupInfo;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.BatchDeleteResult;
import dev.omem.service.Caller;
import dev.omem.service.ClientExtraction;
import dev.omem.service.DecayResult;
import dev.omem.service.ForgetResult;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.IngestTask;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.RequestValidator;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The memory service of a remote omem or ourmem server: every call is one request of the REST
 * dialect in docs/rest-api.md (DESIGN.md "Layers", decision 5). The server validates, scopes and
 * ranks; this class only maps calls to routes and answers back to domain records, so it needs
 * nothing but a URL and a key.
 *
 * <p>The caller travels in headers: {@code X-Omem-Project} (or the {@code project} parameter when
 * the key is not ASCII), {@code X-Agent-Id}, {@code X-Omem-Session}. {@code Caller.tenantId()} is
 * not sent: the API key decides the tenant.
 *
 * <p>Timeouts, retries and the errors of an absent server are {@link RemoteHttp}'s. Thread-safe.
 */
public final class RemoteMemoryService implements MemoryService {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final RemoteHttp http;

  /** A client of {@code endpoint}, whose address may change between calls (the local daemon). */
  public RemoteMemoryService(Endpoint endpoint) {
    this.http = new RemoteHttp(endpoint);
  }

  /** A client of one remote server. */
  public RemoteMemoryService(RemoteConfig config) {
    this(Endpoint.fixed(config));
  }

  /** A client of the server at {@code url} (e.g. {@code http://127.0.0.1:8080}). */
  public static RemoteMemoryService connect(String url, String apiKey) {
    return new RemoteMemoryService(RemoteConfig.of(url, apiKey));
  }

  // ---- writes ----

  @Override
  public Memory store(Caller caller, StoreRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "content", r.content());
    put(body, "tags", r.tags());
    put(body, "source", r.source());
    put(body, "category", r.category());
    put(body, "scope", r.scope());
    put(body, "importance", r.importance());
    put(body, "space_id", r.space());
    return memory(send(Req.post("v1", "memories").caller(caller).body(body)));
  }

  /**
   * One ingest route call. With the connected client's own model (MCP sampling), this process
   * extracts first ({@link ClientExtraction}, on the turns redacted as the server would) and sends
   * the facts in the {@code facts} extension: the server could not reach that model.
   */
  @Override
  public IngestResult ingest(Caller caller, IngestRequest original) {
    IngestRequest r = ClientExtraction.withFacts(original);
    List<Map<String, Object>> messages = new ArrayList<>();
    if (r.messages() != null) {
      for (IngestRequest.Message m : r.messages()) {
        Map<String, Object> j = new LinkedHashMap<>();
        if (m != null) {
          put(j, "role", m.role());
          put(j, "content", m.content());
        }
        messages.add(j);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    // Always present, even empty: it is what makes the POST an ingest and not a direct store.
    body.put("messages", messages);
    put(body, "mode", r.mode());
    if (r.facts() != null) {
      body.put("facts", r.facts().stream().map(RemoteMemoryService::fact).toList());
    }
    put(body, "agent_id", caller.agentId());
    put(body, "session_id", caller.sessionId());
    JsonNode j = send(Req.post("v1", "memories").caller(caller).body(body));
    return new IngestResult(j.path("task_id").asText(null), j.path("stored_count").asInt());
  }

  private static Map<String, Object> fact(IngestRequest.Fact f) {
    Map<String, Object> j = new LinkedHashMap<>();
    put(j, "text", f.text());
    put(j, "category", f.category());
    put(j, "tags", f.tags());
    put(j, "importance", f.importance());
    put(j, "confidence", f.confidence());
    return j;
  }

  /** The longest wait one request asks the server for (its route allows 25 s). */
  private static final long WAIT_PER_REQUEST_SECONDS = 20;

  @Override
  public IngestTask task(Caller caller, String taskId) {
    return IngestTask.fromJson(
        send(Req.get("v1", "tasks", RequestValidator.id(taskId)).caller(caller)));
  }

  @Override
  public IngestTask awaitTask(Caller caller, String taskId, java.time.Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long left = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
      long wait = Math.max(0, Math.min(WAIT_PER_REQUEST_SECONDS, left));
      IngestTask t =
          IngestTask.fromJson(
              send(
                  Req.get("v1", "tasks", RequestValidator.id(taskId))
                      .query("wait", wait)
                      .caller(caller)));
      if (t.finished() || wait == 0) {
        return t;
      }
    }
  }

  @Override
  public List<HistoryEntry> history(Caller caller, String id) {
    return MemoryJsonReader.history(
        send(Req.get("v1", "memories", RequestValidator.id(id), "history").caller(caller))
            .path("history"));
  }

  @Override
  public Memory update(Caller caller, UpdateRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "content", r.content());
    put(body, "tags", r.tags());
    put(body, "state", r.state());
    put(body, "category", r.category());
    put(body, "importance", r.importance());
    put(body, "confirm", r.confirm());
    return memory(
        send(Req.put("v1", "memories", RequestValidator.id(r.id())).caller(caller).body(body)));
  }

  @Override
  public ForgetResult forget(Caller caller, String rawId) {
    String id = RequestValidator.id(rawId);
    JsonNode j = send(Req.delete("v1", "memories", id).caller(caller));
    return new ForgetResult(id, j.path("status").asText("deleted"));
  }

  @Override
  public BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean byIds = r.memoryIds() != null && !r.memoryIds().isEmpty();
    if (byIds) {
      body.put("memory_ids", r.memoryIds());
    } else {
      Map<String, Object> filter = new LinkedHashMap<>();
      put(filter, "source", r.source());
      put(filter, "tags", r.tags());
      put(filter, "category", r.category());
      put(filter, "memory_type", r.memoryType());
      put(filter, "state", r.state());
      put(filter, "before", time(r.before()));
      body.put("filter", filter);
      body.put("confirm", r.confirm());
    }
    JsonNode j = send(Req.post("v1", "memories", "batch-delete").caller(caller).body(body));
    return new BatchDeleteResult(
        j.hasNonNull("deleted") ? j.get("deleted").asLong() : null,
        j.hasNonNull("would_delete") ? j.get("would_delete").asLong() : null,
        j.path("mode").asText(byIds ? "ids" : "filter"));
  }

  @Override
  public long deleteAll(Caller caller) {
    JsonNode j =
        send(Req.delete("v1", "memories", "all").caller(caller).header("X-Confirm", "delete-all"));
    return j.path("deleted").asLong();
  }

  // ---- reads ----

  @Override
  public SearchOutcome search(Caller caller, SearchRequest r) {
    RequestValidator.query(r.query()); // the same message as in-process, never a 414
    Req req =
        Req.get("v1", "memories", "search")
            .caller(caller)
            .query("q", r.query())
            .query("limit", r.limit())
            .query("scope", r.scope())
            .query("min_score", r.minScore())
            .query("tags", r.tags())
            .query("category", r.categories())
            .query("state", r.states())
            .query("after", time(r.after()))
            .query("before", time(r.before()))
            .query("space", r.spaces());
    if (r.includeTrace()) {
      req.query("include_trace", "true");
    }
    JsonNode j = send(req);
    SearchOutcome out = read(() -> MemoryJsonReader.search(j));
    // A server that sends a trace unasked: the local service would not have.
    return r.includeTrace() ? out : new SearchOutcome(out.results(), null, out.reason());
  }

  @Override
  public Memory get(Caller caller, String id) {
    return memory(send(Req.get("v1", "memories", RequestValidator.id(id)).caller(caller)));
  }

  @Override
  public MemoryPage list(Caller caller, ListRequest r) {
    Req req =
        Req.get("v1", "memories")
            .caller(caller)
            .query("limit", r.limit())
            .query("offset", r.offset())
            .query("category", r.category())
            .query("tags", r.tags())
            .query("scope", r.scope())
            .query("state", r.state())
            .query("memory_type", r.memoryType())
            .query("sort", r.sort())
            .query("order", r.order())
            .query("space", r.space());
    JsonNode j = send(req);
    return read(() -> MemoryJsonReader.page(j));
  }

  @Override
  public Profile profile(Caller caller) {
    JsonNode j = send(Req.get("v1", "profile").caller(caller));
    return read(() -> MemoryJsonReader.profile(j));
  }

  @Override
  public Map<String, Object> stats(Caller caller) {
    JsonNode j = send(Req.get("v1", "stats").caller(caller));
    return RemoteHttp.JSON.convertValue(j, OBJECT);
  }

  /** omem's extension route {@code POST /v1/decay}: the server runs the pass on its store. */
  @Override
  public DecayResult decay(Caller caller) {
    JsonNode j = send(Req.post("v1", "decay").caller(caller).body(Map.of()));
    Map<String, Long> moves = new LinkedHashMap<>();
    j.path("transitions").properties().forEach(e -> moves.put(e.getKey(), e.getValue().asLong()));
    return new DecayResult(
        j.path("examined").asLong(),
        j.path("promoted").asLong(),
        j.path("demoted").asLong(),
        j.path("archived").asLong(),
        moves);
  }

  /** omem's extension route {@code POST /v1/backups}: the server snapshots its store. */
  @Override
  public BackupInfo backup(Caller caller, String file) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (file != null) {
      body.put("file", file);
    }
    JsonNode j = send(Req.post("v1", "backups").caller(caller).body(body));
    return new BackupInfo(
        j.path("path").asText(),
        j.path("size_bytes").asLong(),
        java.time.Instant.parse(j.path("created_at").asText()));
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
      Req health = Req.get("health");
      JsonNode j = send(http.endpoint().keyOnEveryRoute() ? health : health.anonymous());
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
      send(Req.get("v1", "memories").query("limit", 1));
      h.put("api_key", "accepted");
    } catch (OmemException e) {
      h.put("api_key", e.code() == ErrorCode.UNAUTHORIZED ? "refused" : "unchecked");
      h.put("error", e.getMessage());
    }
    return h;
  }

  // ---- spaces and sharing ----

  @Override
  public Space createSpace(Caller caller, SpaceRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "name", r.name());
    put(body, "space_type", r.type());
    if (r.members() != null) {
      List<Map<String, Object>> members = new ArrayList<>();
      for (SpaceRequest.MemberRequest m : r.members()) {
        Map<String, Object> j = new LinkedHashMap<>();
        put(j, "user_id", m.userId());
        put(j, "role", m.role());
        members.add(j);
      }
      body.put("members", members);
    }
    return space(send(Req.post("v1", "spaces").caller(caller).body(body)));
  }

  @Override
  public List<Space> spaces(Caller caller) {
    JsonNode j = send(Req.get("v1", "spaces").caller(caller));
    return read(
        () -> {
          List<Space> out = new ArrayList<>();
          j.forEach(s -> out.add(SpaceJson.space(s)));
          return out;
        });
  }

  @Override
  public Space space(Caller caller, String spaceId) {
    return space(send(Req.get(spacePath(spaceId)).caller(caller)));
  }

  @Override
  public Space renameSpace(Caller caller, String spaceId, String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "name", name);
    return space(send(Req.put(spacePath(spaceId)).caller(caller).body(body)));
  }

  @Override
  public void deleteSpace(Caller caller, String spaceId) {
    send(Req.delete(spacePath(spaceId)).caller(caller));
  }

  @Override
  public Space putMember(Caller caller, String spaceId, String userId, String role) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "user_id", userId);
    put(body, "role", role);
    return space(send(Req.post(spacePath(spaceId, "members")).caller(caller).body(body)));
  }

  @Override
  public Space removeMember(Caller caller, String spaceId, String userId) {
    return space(send(Req.delete(spacePath(spaceId, "members", userId)).caller(caller)));
  }

  @Override
  public List<Invitation> invitations(Caller caller) {
    return invitationList(send(Req.get("v1", "invitations").caller(caller)));
  }

  @Override
  public List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return invitationList(send(Req.get(spacePath(spaceId, "invitations")).caller(caller)));
  }

  @Override
  public Space acceptInvitation(Caller caller, String invitationId) {
    return space(
        send(
            Req.post("v1", "invitations", invitationId(invitationId), "accept")
                .caller(caller)
                .body(Map.of())));
  }

  @Override
  public void declineInvitation(Caller caller, String invitationId) {
    send(
        Req.post("v1", "invitations", invitationId(invitationId), "decline")
            .caller(caller)
            .body(Map.of()));
  }

  @Override
  public void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    send(Req.delete(spacePath(spaceId, "invitations", invitationId(invitationId))).caller(caller));
  }

  private static String invitationId(String raw) {
    if (raw == null || raw.isBlank()) {
      throw OmemException.invalid("invitation_id is required (space_invitations lists them)");
    }
    return raw.trim();
  }

  private List<Invitation> invitationList(JsonNode j) {
    return read(
        () -> {
          List<Invitation> out = new ArrayList<>();
          j.forEach(i -> out.add(SpaceJson.invitation(i)));
          return out;
        });
  }

  @Override
  public AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "source_space", r.sourceSpace());
    put(body, "categories", r.categories());
    put(body, "tags", r.tags());
    put(body, "min_importance", r.minImportance());
    put(body, "require_approval", r.requireApproval());
    JsonNode j = send(Req.post(spacePath(spaceId, "auto-share-rules")).caller(caller).body(body));
    return read(() -> SpaceJson.rule(j));
  }

  @Override
  public List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    JsonNode j = send(Req.get(spacePath(spaceId, "auto-share-rules")).caller(caller));
    return read(
        () -> {
          List<AutoShareRule> out = new ArrayList<>();
          j.forEach(r -> out.add(SpaceJson.rule(r)));
          return out;
        });
  }

  @Override
  public void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    send(Req.delete(spacePath(spaceId, "auto-share-rules", ruleId)).caller(caller));
  }

  @Override
  public ShareResults.Shared share(Caller caller, String memoryId, String target, String note) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "target_space", target);
    put(body, "note", note);
    return shared(Req.post("v1", "memories", RequestValidator.id(memoryId), "share"), caller, body);
  }

  @Override
  public ShareResults.Batch batchShare(Caller caller, List<String> ids, String target) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "memory_ids", ids);
    put(body, "target_space", target);
    JsonNode j = send(Req.post("v1", "memories", "batch-share").caller(caller).body(body));
    return read(() -> SpaceJson.batch(j));
  }

  @Override
  public ShareResults.All shareAll(Caller caller, String target, ShareResults.Filters filters) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "target_space", target);
    put(body, "filters", filters(filters));
    JsonNode j = send(Req.post("v1", "memories", "share-all").caller(caller).body(body));
    return read(() -> SpaceJson.all(j));
  }

  @Override
  public ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "source_space", sourceSpace);
    return shared(Req.post("v1", "memories", RequestValidator.id(memoryId), "pull"), caller, body);
  }

  @Override
  public ShareResults.Unshared unshare(Caller caller, String memoryId, String target) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "target_space", target);
    JsonNode j =
        send(
            Req.post("v1", "memories", RequestValidator.id(memoryId), "unshare")
                .caller(caller)
                .body(body));
    return read(() -> SpaceJson.unshared(j));
  }

  @Override
  public ShareResults.ToUser shareToUser(
      Caller caller, String memoryId, String targetUser, String note) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "target_user", targetUser);
    put(body, "note", note);
    JsonNode j =
        send(
            Req.post("v1", "memories", RequestValidator.id(memoryId), "share-to-user")
                .caller(caller)
                .body(body));
    return read(() -> SpaceJson.toUser(j));
  }

  @Override
  public ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "target_user", targetUser);
    put(body, "filters", filters(filters));
    JsonNode j = send(Req.post("v1", "memories", "share-all-to-user").caller(caller).body(body));
    return read(() -> SpaceJson.allToUser(j));
  }

  @Override
  public ShareResults.StaleInfo staleInfo(Caller caller, String memoryId) {
    JsonNode j =
        send(
            Req.get("v1", "memories", RequestValidator.id(memoryId))
                .query("check_stale", "true")
                .caller(caller));
    return read(() -> SpaceJson.staleInfo(j.get("stale_info")));
  }

  private ShareResults.Shared shared(Req req, Caller caller, Map<String, Object> body) {
    JsonNode j = send(req.caller(caller).body(body));
    return new ShareResults.Shared(memory(j), req.answeredStatus == 201);
  }

  private Space space(JsonNode j) {
    return read(() -> SpaceJson.space(j));
  }

  /** {@code /v1/spaces/<type>/<id>/...}: a space id's slash separates two path segments. */
  private static String[] spacePath(String spaceId, String... more) {
    if (spaceId == null || spaceId.indexOf('/') <= 0) {
      throw OmemException.invalid(
          "space '" + spaceId + "' is not a space id (personal/…, team/… or org/…)");
    }
    List<String> p = new ArrayList<>(List.of("v1", "spaces"));
    p.addAll(List.of(spaceId.split("/", 2)));
    p.addAll(List.of(more));
    return p.toArray(String[]::new);
  }

  private static Map<String, Object> filters(ShareResults.Filters f) {
    if (f == null) {
      return null;
    }
    Map<String, Object> j = new LinkedHashMap<>();
    put(j, "categories", f.categories());
    put(j, "tags", f.tags());
    put(j, "min_importance", f.minImportance());
    return j;
  }

  /** Releases okhttp's threads and pooled connections; later calls fail as unavailable. */
  @Override
  public void close() {
    http.close();
  }

  // ---- helpers ----

  private JsonNode send(Req r) {
    return http.send(r);
  }

  private Memory memory(JsonNode j) {
    return read(() -> MemoryJsonReader.memory(j));
  }

  /** An answer without the dialect's shape is the server's fault: say whose. */
  private <T> T read(Supplier<T> reader) {
    try {
      return reader.get();
    } catch (RuntimeException e) {
      throw new OmemException(
          ErrorCode.INTERNAL,
          "the omem server at "
              + http.endpoint().current().url()
              + " sent an answer omem cannot read: "
              + (e instanceof OmemException ? e.getMessage() : e.toString()),
          e);
    }
  }

  private static void put(Map<String, Object> body, String field, Object value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  // ---- import and export (issue 7) ----

  /** How often a client polls a running import for its progress. */
  private static final long IMPORT_POLL_MS = 250;

  @Override
  public dev.omem.service.ExportResult export(Caller caller, dev.omem.service.ExportRequest r) {
    String format = r.format() == null ? "omem" : r.format();
    JsonNode body =
        send(
            Req.get("v1", "export")
                .caller(caller)
                .query("format", format)
                .query("scope", r.scope())
                .text());
    String contentType =
        format.equals("markdown") ? "text/markdown; charset=utf-8" : "application/json";
    return new dev.omem.service.ExportResult(format, contentType, body.asText(), -1, 0);
  }

  @Override
  public dev.omem.service.ImportRecord importFile(
      Caller caller, dev.omem.service.ImportRequest r, dev.omem.service.ImportProgress progress) {
    dev.omem.service.ImportRecord rec = startImport(caller, r);
    dev.omem.service.ImportProgress p =
        progress == null ? dev.omem.service.ImportProgress.NONE : progress;
    p.progress(rec);
    while (!rec.finished()) {
      try {
        Thread.sleep(IMPORT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return rec;
      }
      rec = importRecord(caller, rec.id());
      p.progress(rec);
    }
    return rec;
  }

  /** The JSON form of {@code POST /v1/imports} (omem's extension beside multipart). */
  @Override
  public dev.omem.service.ImportRecord startImport(
      Caller caller, dev.omem.service.ImportRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "file_type", r.fileType());
    put(body, "content", r.content());
    put(body, "file_name", r.fileName());
    body.put("force", r.force());
    put(body, "strategy", r.strategy());
    put(body, "space_id", r.spaceId());
    put(body, "agent_id", caller.agentId());
    put(body, "session_id", caller.sessionId());
    return dev.omem.service.ImportRecord.fromJson(
        send(Req.post("v1", "imports").caller(caller).query("wait", 0).body(body)));
  }

  @Override
  public List<dev.omem.service.ImportRecord> imports(Caller caller) {
    JsonNode j = send(Req.get("v1", "imports").caller(caller));
    JsonNode arr = j.isArray() ? j : j.path("imports");
    List<dev.omem.service.ImportRecord> out = new ArrayList<>();
    arr.forEach(x -> out.add(dev.omem.service.ImportRecord.fromJson(x)));
    return out;
  }

  @Override
  public dev.omem.service.ImportRecord importRecord(Caller caller, String id) {
    return dev.omem.service.ImportRecord.fromJson(
        send(Req.get("v1", "imports", RequestValidator.id(id)).caller(caller)));
  }

  @Override
  public dev.omem.service.ImportRecord rollbackImport(Caller caller, String id) {
    return dev.omem.service.ImportRecord.fromJson(
        send(
            Req.post("v1", "imports", RequestValidator.id(id), "rollback")
                .caller(caller)
                .body(Map.of())));
  }
}
