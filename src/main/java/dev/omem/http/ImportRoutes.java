package dev.omem.http;

import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.ExportRequest;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.MemoryService;
import dev.omem.wire.ImportBody;
import dev.omem.wire.WireJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Import and export (docs/rest-api.md "Imports and export"): ourmem's {@code /v1/imports} routes
 * (multipart, or omem's JSON body) and omem's {@code GET /v1/export}.
 */
final class ImportRoutes {
  /** How long {@code POST /v1/imports} waits for the import by default: under the 30 s limit. */
  private static final int DEFAULT_WAIT_SECONDS = 20;

  private static final int MAX_WAIT_SECONDS = 25;

  private final MemoryService service;

  ImportRoutes(MemoryService service) {
    this.service = service;
  }

  void register(Router r) {
    r.add("GET", "/v1/export", this::export)
        .add("POST", "/v1/imports", this::create)
        .add("GET", "/v1/imports", this::list)
        .add("GET", "/v1/imports/{id}", this::get)
        .add("POST", "/v1/imports/{id}/rollback", this::rollback);
  }

  private Reply export(ApiRequest req) {
    ExportRequest r = new ExportRequest(req.param("format"), req.param("scope"));
    Caller caller = req.caller();
    return Reply.ok(new StreamBody(r.contentType(), w -> service.export(caller, r, w)));
  }

  /**
   * Starts the import and waits for it up to {@code wait} seconds (default 20): 200 with the
   * finished record, or 202 with the running one, whose progress {@code GET /v1/imports/{id}}
   * shows.
   */
  private Reply create(ApiRequest req) {
    Integer wait = req.intParam("wait");
    int waitSeconds = wait == null ? DEFAULT_WAIT_SECONDS : wait;
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw OmemException.invalid("wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
    }
    ImportBody json =
        req.upload() != null
            ? ImportBody.ofQuery(req)
            : WireJson.read(req.object(), ImportBody.class);
    Caller caller = json.caller(req.caller());
    java.io.InputStream raw = req.upload();
    ImportRequest r = json.request(raw == null ? null : () -> raw);
    ImportRecord rec = service.startImport(caller, r);
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (!rec.finished() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      rec = service.importRecord(caller, rec.id());
    }
    return new Reply(rec.finished() ? 200 : 202, rec.toJson());
  }

  private Reply list(ApiRequest req) {
    List<Map<String, Object>> all =
        service.imports(req.caller()).stream().map(ImportRecord::toJson).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("imports", all);
    out.put("total", all.size());
    return Reply.ok(out);
  }

  private Reply get(ApiRequest req) {
    return Reply.ok(service.importRecord(req.caller(), req.path("id")).toJson());
  }

  private Reply rollback(ApiRequest req) {
    return Reply.ok(service.rollbackImport(req.caller(), req.path("id")).toJson());
  }
}
