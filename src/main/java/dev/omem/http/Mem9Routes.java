package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.Caller;
import dev.omem.service.IngestResult;
import dev.omem.service.MemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.UpdateRequest;
import dev.omem.wire.Mem9Wire;
import dev.omem.wire.MemoryBody;
import dev.omem.wire.MemoryUpdateBody;
import dev.omem.wire.WireJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * mem9's memory routes under {@code /v1alpha2/mem9s/} (docs/rest-api.md "mem9"): CRUD, search
 * ({@code GET …/memories?q=}) and smart ingest of messages, with {@code X-API-Key} and {@code
 * X-Mnemo-Agent-Id}, on the same memories and tenants as ourmem's {@code /v1}.
 */
final class Mem9Routes {
  private static final String MEMORIES = "/v1alpha2/mem9s/memories";

  /** How long {@code sync: true} waits for an ingest: under the 30 s per-request limit. */
  private static final Duration SYNC_WAIT = Duration.ofSeconds(25);

  private final MemoryService service;

  Mem9Routes(MemoryService service) {
    this.service = service;
  }

  void register(Router r) {
    r.add("POST", MEMORIES, this::create)
        .add("GET", MEMORIES, this::listOrSearch)
        .add("POST", MEMORIES + "/batch-delete", this::batchDelete)
        .add("GET", MEMORIES + "/{id}", this::get)
        .add("PUT", MEMORIES + "/{id}", this::update)
        .add("DELETE", MEMORIES + "/{id}", this::delete);
  }

  /**
   * {@code content}: 201 the Memory. {@code messages}: smart (or raw) ingest, 202 {@code {status:
   * accepted}}, or with {@code sync: true} 200 {@code {status: ok}} once extraction is done.
   */
  private Reply create(ApiRequest req) {
    JsonNode body = req.object();
    MemoryBody b = WireJson.read(body, MemoryBody.class);
    if (b.content() != null && b.isIngest()) {
      throw OmemException.invalid("provide either content or messages, not both");
    }
    Caller caller = b.caller(req.caller());
    if (!b.isIngest()) {
      return Reply.created(Mem9Wire.memory(service.store(caller, b.store()), null));
    }
    IngestResult started = service.ingest(caller, b.ingest());
    if (!body.path("sync").asBoolean(false)) {
      return new Reply(202, Map.of("status", "accepted"));
    }
    String status = service.awaitTask(caller, started.taskId(), SYNC_WAIT).status();
    if (status.equals("failed")) {
      throw new OmemException(dev.omem.domain.ErrorCode.INTERNAL, "the ingest failed");
    }
    return status.equals("done")
        ? Reply.ok(Map.of("status", "ok"))
        : new Reply(202, Map.of("status", "accepted"));
  }

  private Reply listOrSearch(ApiRequest req) {
    if (req.param("q") == null) {
      return Reply.ok(Mem9Wire.page(service.list(req.caller(), Mem9Wire.list(req))));
    }
    SearchRequest s = Mem9Wire.search(req);
    return Reply.ok(Mem9Wire.results(service.search(req.caller(), s), s.limit()));
  }

  private Reply get(ApiRequest req) {
    return Reply.ok(Mem9Wire.memory(service.get(req.caller(), MemoryRoutes.memoryId(req)), null));
  }

  /** An update; {@code If-Match} (a version) makes it conditional: 409 when it moved on. */
  private Reply update(ApiRequest req) {
    String id = MemoryRoutes.memoryId(req);
    Long expected = IfMatch.version(req.header("If-Match"));
    UpdateRequest r = WireJson.read(req.object(), MemoryUpdateBody.class).request(id, expected);
    Memory m = service.update(req.caller(), r);
    return new Reply(200, Mem9Wire.memory(m, null), Map.of("ETag", Long.toString(m.version())));
  }

  private Reply delete(ApiRequest req) {
    service.forget(req.caller(), MemoryRoutes.memoryId(req));
    return Reply.noContent();
  }

  private Reply batchDelete(ApiRequest req) {
    List<String> ids = ApiRequest.strings(req.object(), "ids");
    if (ids == null || ids.isEmpty()) {
      throw OmemException.invalid("ids must list at least one memory id");
    }
    var result = service.batchDelete(req.caller(), BatchDeleteRequest.ids(ids));
    return Reply.ok(Map.of("deleted", result.deleted()));
  }
}
