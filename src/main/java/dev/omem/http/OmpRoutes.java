package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.ExportRequest;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.MemoryService;
import dev.omem.wire.OmpWire;
import dev.omem.wire.WireJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Open Memory Protocol's routes under {@code /omp/v1/} (docs/rest-api.md "Open Memory
 * Protocol"): its memory object, CRUD, search with a JSON body, export and import, on the same
 * memories and tenants as ourmem's {@code /v1} (the key comes as {@code Authorization: Bearer}, see
 * {@link Dialect}). A memory's OMP id is resolved to omem's by the service.
 */
final class OmpRoutes {
  private static final String MEMORY = "/omp/v1/memories/{id}";

  private final MemoryService service;

  OmpRoutes(MemoryService service) {
    this.service = service;
  }

  void register(Router r) {
    r.add("POST", "/omp/v1/memories", this::create)
        .add("GET", "/omp/v1/memories", this::list)
        .add("POST", "/omp/v1/memories/search", this::search)
        .add("GET", MEMORY, this::get)
        .add("PUT", MEMORY, this::update)
        .add("PATCH", MEMORY, this::update)
        .add("DELETE", MEMORY, this::delete)
        .add("GET", "/omp/v1/export", this::export)
        .add("POST", "/omp/v1/import", this::importFile);
  }

  private String id(ApiRequest req) {
    return service.ompMemoryId(req.caller(), req.path("id"));
  }

  private static OmpWire.MemoryObject object(ApiRequest req) {
    return WireJson.read(req.object(), OmpWire.MemoryObject.class);
  }

  private Reply create(ApiRequest req) {
    OmpWire.MemoryObject o = object(req);
    return Reply.created(OmpWire.memory(service.store(o.caller(req.caller()), o.store())));
  }

  private Reply list(ApiRequest req) {
    return Reply.ok(OmpWire.page(service.list(req.caller(), OmpWire.list(req))));
  }

  private Reply search(ApiRequest req) {
    OmpWire.SearchBody body = WireJson.read(req.object(), OmpWire.SearchBody.class);
    return Reply.ok(OmpWire.results(service.search(req.caller(), body.request())));
  }

  private Reply get(ApiRequest req) {
    return Reply.ok(OmpWire.memory(service.get(req.caller(), id(req))));
  }

  private Reply update(ApiRequest req) {
    return Reply.ok(OmpWire.memory(service.update(req.caller(), object(req).update(id(req)))));
  }

  private Reply delete(ApiRequest req) {
    service.forget(req.caller(), id(req));
    return Reply.noContent();
  }

  /** The caller's memories as an OMP export file: the bytes of {@code /v1/export?format=omp}. */
  private Reply export(ApiRequest req) {
    ExportRequest r = new ExportRequest("omp", req.param("namespace"));
    Caller caller = req.caller();
    return Reply.ok(new StreamBody(r.contentType(), w -> service.export(caller, r, w)));
  }

  /**
   * Imports an OMP export given as the body; {@code conflict} (query or body field {@code
   * conflict_strategy}): {@code skip} (default: an item whose OMP id or text the tenant holds is
   * skipped) or {@code duplicate} (imported again). {@code overwrite} is refused: omem's imports
   * never rewrite a memory that exists. Answers {@code {imported, skipped, errors}}.
   */
  private Reply importFile(ApiRequest req) {
    JsonNode body = req.object();
    String conflict = req.param("conflict");
    if (conflict == null && body.path("conflict_strategy").isTextual()) {
      conflict = body.path("conflict_strategy").asText();
    }
    boolean force =
        switch (conflict == null ? "skip" : conflict) {
          case "skip" -> false;
          case "duplicate" -> true;
          case "overwrite" ->
              throw OmemException.invalid(
                  "conflict strategy overwrite is not supported: use skip or duplicate");
          default ->
              throw OmemException.invalid(
                  "unknown conflict strategy '" + conflict + "'; use skip or duplicate");
        };
    ImportRecord rec =
        service.importFile(
            req.caller(),
            new ImportRequest("omp", body.toString(), "omp-import.json", force, null, null),
            null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("imported", rec.imported());
    out.put("skipped", rec.skipped());
    out.put(
        "errors",
        rec.errors().stream()
            .map(e -> Map.of("index", e.index(), "message", e.message()))
            .toList());
    return Reply.ok(out);
  }
}
