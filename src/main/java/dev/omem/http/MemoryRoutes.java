package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.OmemException;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.SpaceJson;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.BatchDeleteResult;
import dev.omem.service.Caller;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /v1/memories} routes of ourmem's dialect (docs/rest-api.md). */
final class MemoryRoutes {
  /** ourmem's default page of search results (omem's MCP tool defaults to 10). */
  private static final int HTTP_SEARCH_DEFAULT_LIMIT = 20;

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
        .add("GET", "/v1/tasks/{id}", this::task)
        .add("PUT", "/v1/memories/{id}", this::update)
        .add("DELETE", "/v1/memories/{id}", this::delete);
  }

  private dev.omem.domain.Memory get(ApiRequest req) {
    return service.get(req.caller(), req.path("id"));
  }

  private Reply getWithHistory(ApiRequest req) {
    dev.omem.domain.Memory m = get(req);
    Map<String, Object> j = MemoryJson.withHistory(m, service.history(req.caller(), m.id()));
    return Reply.ok(req.boolParam("check_stale") ? withStaleInfo(req, j) : j);
  }

  private Reply history(ApiRequest req) {
    return Reply.ok(
        Map.of("history", MemoryJson.history(service.history(req.caller(), req.path("id")))));
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
    JsonNode body = req.object();
    JsonNode messages = body.get("messages");
    if (messages != null && !messages.isNull()) {
      return ingest(req, body, messages);
    }
    // Without content the service answers "content is required", as every face words it.
    StoreRequest store =
        new StoreRequest(
            ApiRequest.text(body, "content"),
            ApiRequest.strings(body, "tags"),
            ApiRequest.text(body, "source"),
            ApiRequest.text(body, "category"),
            ApiRequest.text(body, "scope"),
            ApiRequest.number(body, "importance"),
            spaceOf(body));
    return Reply.created(MemoryJson.of(service.store(withBody(req.caller(), body), store)));
  }

  private Reply ingest(ApiRequest req, JsonNode body, JsonNode messages) {
    if (!messages.isArray() || messages.isEmpty()) {
      throw OmemException.invalid("messages must be a non-empty list of {role, content}");
    }
    List<IngestRequest.Message> list = new ArrayList<>();
    for (JsonNode m : messages) {
      if (!m.isObject()) {
        throw OmemException.invalid("each message must be an object {role, content}");
      }
      list.add(
          new IngestRequest.Message(ApiRequest.text(m, "role"), ApiRequest.text(m, "content")));
    }
    IngestResult r =
        service.ingest(
            withBody(req.caller(), body),
            new IngestRequest(list, ApiRequest.text(body, "mode"), null, facts(body)));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("task_id", r.taskId());
    j.put("stored_count", r.storedCount());
    return new Reply(202, j);
  }

  /**
   * The {@code facts} extension: facts the caller already extracted from these messages (the thin
   * client of the daemon sends those of the MCP client's own model), or null when absent. Only
   * their shape is checked here; the service checks their values, as for any other input.
   */
  private static List<IngestRequest.Fact> facts(JsonNode body) {
    JsonNode facts = body.get("facts");
    if (facts == null || facts.isNull()) {
      return null;
    }
    if (!facts.isArray()) {
      throw OmemException.invalid(
          "facts must be a list of {text, category, tags?, importance?, confidence?}");
    }
    List<IngestRequest.Fact> out = new ArrayList<>();
    for (int i = 0; i < facts.size(); i++) {
      try {
        out.add(fact(facts.get(i)));
      } catch (OmemException e) {
        throw OmemException.invalid("facts[" + i + "]: " + e.getMessage());
      }
    }
    return out;
  }

  private static IngestRequest.Fact fact(JsonNode f) {
    if (!f.isObject()) {
      throw OmemException.invalid(
          "a fact must be an object {text, category, tags?, importance?, confidence?}");
    }
    return new IngestRequest.Fact(
        ApiRequest.text(f, "text"),
        ApiRequest.text(f, "category"),
        ApiRequest.strings(f, "tags"),
        ApiRequest.number(f, "importance"),
        ApiRequest.number(f, "confidence"));
  }

  /** The caller, with the body's {@code agent_id}, {@code session_id} and {@code project}. */
  private static Caller withBody(Caller c, JsonNode body) {
    String agent = ApiRequest.text(body, "agent_id");
    String session = ApiRequest.text(body, "session_id");
    String project = ApiRequest.text(body, "project");
    return new Caller(
        c.tenantId(),
        project != null ? project : c.project(),
        agent != null ? agent : c.agentId(),
        session != null ? session : c.sessionId());
  }

  private Reply search(ApiRequest req) {
    String q = req.param("q");
    if (q == null) {
      throw OmemException.invalid("q is required: the text to search for");
    }
    Integer limit = req.intParam("limit");
    SearchOutcome out =
        service.search(
            req.caller(),
            new SearchRequest(
                q,
                limit == null ? HTTP_SEARCH_DEFAULT_LIMIT : limit,
                req.listParam("tags"),
                req.param("scope"),
                req.listParam("category"),
                req.doubleParam("min_score"),
                req.timeParam("after"),
                req.timeParam("before"),
                req.listParam("state"),
                req.boolParam("include_trace"),
                true,
                req.listParam("space")));
    Map<String, Object> body = searchBody(out);
    if (req.boolParam("check_stale")) {
      body.put("results", staleChecked(req, out.results()));
    }
    return Reply.ok(body);
  }

  /** The results with {@code stale_info} added to each shared copy ({@code check_stale=true}). */
  private List<Map<String, Object>> staleChecked(ApiRequest req, List<ScoredMemory> results) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : results(results)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) r.get("memory");
      withStaleInfo(req, m);
      out.add(r);
    }
    return out;
  }

  private Map<String, Object> withStaleInfo(ApiRequest req, Map<String, Object> memory) {
    ShareResults.StaleInfo s = service.staleInfo(req.caller(), (String) memory.get("id"));
    if (s != null) {
      memory.put("stale_info", SpaceJson.of(s));
    }
    return memory;
  }

  /** The space a memory is stored into ({@code space_id}, the Memory's field name), or null. */
  private static String spaceOf(JsonNode body) {
    return ApiRequest.text(body, "space_id");
  }

  /** ourmem's search answer: {@code {results: [{memory, score}], trace?}}. */
  static Map<String, Object> searchBody(SearchOutcome out) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("results", results(out.results()));
    if (out.reason() != null) {
      j.put("reason", out.reason()); // omem's extension: why nothing was returned
    }
    if (out.trace() != null) {
      j.put("trace", MemoryJson.trace(out.trace()));
    }
    return j;
  }

  static List<Map<String, Object>> results(List<ScoredMemory> results) {
    return results.stream()
        .map(
            s -> {
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("memory", MemoryJson.of(s.memory()));
              r.put("score", s.score());
              return r;
            })
        .toList();
  }

  private Reply list(ApiRequest req) {
    ListRequest list =
        new ListRequest(
            req.intParam("limit"),
            req.intParam("offset"),
            req.param("category"),
            req.listParam("tags"),
            req.param("scope"),
            req.param("state"),
            req.param("memory_type"),
            req.param("sort"),
            req.param("order"),
            req.param("space"));
    if (req.param("tier") != null) {
      // Tiers start moving with the lifecycle work (issue 6); until then every memory is in
      // the tier it was stored with, so refuse rather than answer a filter we do not apply.
      throw OmemException.invalid("the tier filter is not supported by this server yet");
    }
    return Reply.ok(MemoryJson.page(service.list(req.caller(), list)));
  }

  private Reply update(ApiRequest req) {
    JsonNode body = req.object();
    UpdateRequest u =
        new UpdateRequest(
            req.path("id"),
            ApiRequest.text(body, "content"),
            ApiRequest.strings(body, "tags"),
            ApiRequest.text(body, "category"),
            ApiRequest.number(body, "importance"),
            ApiRequest.text(body, "state"),
            ApiRequest.bool(body, "confirm") ? Boolean.TRUE : null);
    return Reply.ok(MemoryJson.of(service.update(req.caller(), u)));
  }

  private Reply delete(ApiRequest req) {
    return Reply.ok(Map.of("status", service.forget(req.caller(), req.path("id")).status()));
  }

  private Reply batchDelete(ApiRequest req) {
    JsonNode body = req.object();
    List<String> ids = ApiRequest.strings(body, "memory_ids");
    BatchDeleteRequest r;
    if (ids != null) {
      if (ids.isEmpty()) {
        throw OmemException.invalid("memory_ids is empty: name at least one memory");
      }
      r = BatchDeleteRequest.ids(ids);
    } else {
      JsonNode f = body.get("filter");
      if (f == null || !f.isObject()) {
        throw OmemException.invalid("give memory_ids (a list) or filter (an object)");
      }
      r =
          new BatchDeleteRequest(
              null,
              ApiRequest.text(f, "source"),
              ApiRequest.strings(f, "tags"),
              ApiRequest.text(f, "category"),
              ApiRequest.text(f, "memory_type"),
              ApiRequest.text(f, "state"),
              ApiRequest.time("before", ApiRequest.text(f, "before")),
              ApiRequest.bool(body, "confirm"));
    }
    BatchDeleteResult res = service.batchDelete(req.caller(), r);
    Map<String, Object> j = new LinkedHashMap<>();
    if (res.wouldDelete() != null) {
      j.put("would_delete", res.wouldDelete());
    } else {
      j.put("deleted", res.deleted());
      j.put("mode", res.mode());
    }
    return Reply.ok(j);
  }

  private Reply deleteAll(ApiRequest req) {
    if (!"delete-all".equals(req.header("X-Confirm"))) {
      throw OmemException.invalid("deleting every memory needs the header X-Confirm: delete-all");
    }
    return Reply.ok(Map.of("deleted", service.deleteAll(req.caller())));
  }
}
