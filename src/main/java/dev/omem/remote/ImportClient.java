package dev.omem.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.service.Caller;
import dev.omem.service.ExportRequest;
import dev.omem.service.ExportResult;
import dev.omem.service.ImportProgress;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.RequestValidator;
import dev.omem.wire.ImportBody;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The imports and export area of the remote client ({@code /v1/imports}, {@code /v1/export}). */
final class ImportClient {
  private final RemoteHttp http;

  ImportClient(RemoteHttp http) {
    this.http = http;
  }

  /** How often a client polls a running import for its progress. */
  private static final long IMPORT_POLL_MS = 250;

  /** The file streams from the server to {@code out}; how many memories it holds is not known. */
  ExportResult export(Caller caller, ExportRequest r, Writer out) {
    String format = r.formatName();
    http.stream(
        RemoteRequest.get("v1", "export")
            .caller(caller)
            .query("format", format)
            .query("scope", r.scope()),
        out);
    return new ExportResult(format, r.contentType(), -1, 0);
  }

  ImportRecord importFile(Caller caller, ImportRequest r, ImportProgress progress) {
    ImportRecord rec = startImport(caller, r);
    ImportProgress p = progress == null ? ImportProgress.NONE : progress;
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

  /**
   * The JSON form of {@code POST /v1/imports} (omem's extension beside multipart), or, for a file
   * given as an upload, the raw form: the file streams as the body, never held whole.
   */
  ImportRecord startImport(Caller caller, ImportRequest r) {
    ImportBody body = ImportBody.of(r, caller);
    RemoteRequest post = RemoteRequest.post("v1", "imports").caller(caller).query("wait", 0);
    if (r.upload() != null) {
      post.query(body.query()).upload(r.upload());
    } else {
      post.body(body);
    }
    return ImportRecord.fromJson(http.send(post));
  }

  List<ImportRecord> imports(Caller caller) {
    JsonNode j = http.send(RemoteRequest.get("v1", "imports").caller(caller));
    JsonNode arr = j.isArray() ? j : j.path("imports");
    List<ImportRecord> out = new ArrayList<>();
    arr.forEach(x -> out.add(ImportRecord.fromJson(x)));
    return out;
  }

  ImportRecord importRecord(Caller caller, String id) {
    return ImportRecord.fromJson(
        http.send(RemoteRequest.get("v1", "imports", RequestValidator.id(id)).caller(caller)));
  }

  ImportRecord rollbackImport(Caller caller, String id) {
    return ImportRecord.fromJson(
        http.send(
            RemoteRequest.post("v1", "imports", RequestValidator.id(id), "rollback")
                .caller(caller)
                .body(Map.of())));
  }
}
