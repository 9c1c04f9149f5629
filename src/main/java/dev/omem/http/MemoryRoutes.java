package dev.omem.http;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.OmemException;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.SpaceJson;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import dev.omem.service.UpdateRequest;
import dev.omem.service.VersionConflict;
import dev.omem.wire.BatchDeleteAnswer;
import dev.omem.wire.BatchDeleteBody;
import dev.omem.wire.IngestAnswer;
import dev.omem.wire.ListParams;
import dev.omem.wire.MemoryBody;
import dev.omem.wire.MemoryUpdateBody;
import dev.omem.wire.SearchParams;
import dev.omem.wire.WireJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /v1/memories} routes of ourmem's dialect (docs/rest-api.md). */
final class MemoryRoutes {
  /** The longest {@code wait} on a task: under the 30 s per-request limit of ServeSettings. */
  private static final int MAX_TASK_WAIT_SECONDS = 25;

  private final MemoryService service;

  MemoryRoutes(MemoryService service) {
    this.service = service;
  }

  void register(Router r) {
    r.add("POST", "/v1/memories", this::create)
        .add("GET", "/v1/memories/search", this::search)
        .add("GET", "/v1/memories", this::list)
        .add("POST", "/v1/memories/batch-delete", this::batchDelete)
        .add("DELETE", "/v1/memories/all", this::deleteAll)
        .add("GET", "/v1/memories/{id}", this::getWithHistory)
        .add("GET", "/v1/memories/{id}/history", this::history)
        // omem's extension: a copy's staleness without fetching it (a fetch counts an access)
        .add("GET", "/v1/memories/{id}/stale-info", this::staleInfo)
        .add("GET", "/v1/tasks/{id}", this::task)
        .add("PUT", "/v1/memories/{id}", this::update)
        .add("DELETE", "/v1/memories/{id}", this::delete);
  }

  private dev.omem.domain.Memory get(ApiRequest req) {
    return service.get(req.caller(), memoryId(req));
  }

  /**
   * The path's memory id. One that is not a UUID names no memory: 404, as ourmem answers (the
   * service's 400 with a hint stays for MCP and the CLI, where the id is an argument).
   */
  static String memoryId(ApiRequest req) {
    String id = req.path("id");
    try {
      java.util.UUID.fromString(id);
      return id;
    } catch (IllegalArgumentException e) {
      throw OmemException.notFound("memory " + id + " not found: memory ids are UUIDs");
    }
  }

  private Reply getWithHistory(ApiRequest req) {
    dev.omem.domain.Memory m = get(req);
    Map<String, Object> j = MemoryJson.withHistory(m, service.history(req.caller(), m.id()));
    return Reply.ok(req.boolParam("check_stale") ? withStaleInfo(req, m.id(), j) : j);
  }

  private Reply history(ApiRequest req) {
    return Reply.ok(
        Map.of("history", MemoryJson.history(service.history(req.caller(), memoryId(req)))));
  }

  private Reply staleInfo(ApiRequest req) {
    ShareResults.StaleInfo s = service.staleInfo(req.caller(), memoryId(req));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("stale_info", s == null ? null : SpaceJson.of(s));
    return Reply.ok(j);
  }

  private Reply task(ApiRequest req) {
    String id = req.path("id");
    Integer wait = req.intParam("wait");
    if (wait == null) {
      return Reply.ok(service.task(req.caller(), id).toJson());
    }
    if (wait < 0 || wait > MAX_TASK_WAIT_SECONDS) {
      throw OmemException.invalid(
          "wait must be between 0 and " + MAX_TASK_WAIT_SECONDS + " seconds");
    }
    return Reply.ok(
        service.awaitTask(req.caller(), id, java.time.Duration.ofSeconds(wait)).toJson());
  }

  private Reply create(ApiRequest req) {
    MemoryBody body = WireJson.read(req.object(), MemoryBody.class);
    Caller caller = body.caller(req.caller());
    if (body.isIngest()) {
      return new Reply(202, IngestAnswer.of(service.ingest(caller, body.ingest())));
    }
    // Without content the service answers "content is required", as every face words it.
    return Reply.created(new JsonText(MemoryJson.bytes(service.store(caller, body.store()))));
  }

  private Reply search(ApiRequest req) {
    SearchOutcome out = service.search(req.caller(), SearchParams.read(req));
    if (!req.boolParam("check_stale")) {
      return Reply.ok(new JsonText(MemoryJson.restSearchBytes(out)));
    }
    Map<String, Object> body = MemoryJson.restSearch(out);
    body.put("results", staleChecked(req, out.results()));
    return Reply.ok(body);
  }

  /**
   * The results with {@code stale_info} beside {@code memory} and {@code score} for each shared
   * copy ({@code check_stale=true}): {@code {memory, score, stale_info}}, where ourmem places it.
   */
  private List<Map<String, Object>> staleChecked(ApiRequest req, List<ScoredMemory> results) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Map<String, Object> r = MemoryJson.restResults(results.subList(i, i + 1)).get(0);
      withStaleInfo(req, results.get(i).memory().id(), r);
      out.add(r);
    }
    return out;
  }

  /** {@code into} with {@code stale_info} added when {@code id} is a shared copy. */
  private Map<String, Object> withStaleInfo(ApiRequest req, String id, Map<String, Object> into) {
    ShareResults.StaleInfo s = service.staleInfo(req.caller(), id);
    if (s != null) {
      into.put("stale_info", SpaceJson.of(s));
    }
    return into;
  }

  private Reply list(ApiRequest req) {
    return Reply.ok(MemoryJson.page(service.list(req.caller(), ListParams.read(req))));
  }

  /**
   * An update; {@code version} in the body or {@code If-Match} makes it conditional on the version
   * the writer read: a mismatch is 409 (body) or 412 (header) with {@code current_version}.
   */
  private Reply update(ApiRequest req) {
    String id = memoryId(req);
    Long ifMatch = IfMatch.version(req.header("If-Match"));
    MemoryUpdateBody body = WireJson.read(req.object(), MemoryUpdateBody.class);
    UpdateRequest r = body.request(id, IfMatch.expected(ifMatch, body.version()));
    try {
      return Reply.ok(MemoryJson.of(service.update(req.caller(), r)));
    } catch (VersionConflict c) {
      throw ifMatch != null ? new IfMatch.PreconditionFailed(c) : c;
    }
  }

  /**
   * A soft delete; with {@code If-Match} only while the memory is at that version (412 with {@code
   * current_version} otherwise), so a delete never drops an edit its sender has not seen.
   */
  private Reply delete(ApiRequest req) {
    String id = memoryId(req);
    Long ifMatch = IfMatch.version(req.header("If-Match"));
    if (ifMatch == null) {
      return Reply.ok(Map.of("status", service.forget(req.caller(), id).status()));
    }
    try {
      service.update(req.caller(), UpdateRequest.forget(id, ifMatch));
    } catch (VersionConflict c) {
      throw new IfMatch.PreconditionFailed(c);
    }
    return Reply.ok(Map.of("status", "deleted"));
  }

  private Reply batchDelete(ApiRequest req) {
    BatchDeleteBody body = WireJson.read(req.object(), BatchDeleteBody.class);
    return Reply.ok(BatchDeleteAnswer.of(service.batchDelete(req.caller(), body.request())));
  }

  private Reply deleteAll(ApiRequest req) {
    if (!"delete-all".equals(req.header("X-Confirm"))) {
      throw OmemException.invalid("deleting every memory needs the header X-Confirm: delete-all");
    }
    return Reply.ok(Map.of("deleted", service.deleteAll(req.caller())));
  }
}
