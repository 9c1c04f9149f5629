package dev.omem.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.OmemException;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.MemoryService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Imports: a file uploaded with its progress shown (ui.js sends it and polls {@code
 * /ui/imports/progress}), the list of imports, and rollback. The upload is the file's bytes as the
 * request body, so the browser reports how much of it was sent.
 */
final class ImportsPage {
  /** As the API's import route allows (http.BodyLimit): an omem export of ~10,000 memories. */
  static final int MAX_BYTES = 32 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MemoryService service;

  ImportsPage(MemoryService service) {
    this.service = service;
  }

  void handle(UiRequest r, boolean post) throws IOException {
    if (post) {
      if (!"rollback".equals(r.param("action"))) {
        throw OmemException.invalid("unknown action");
      }
      service.rollbackImport(r.caller(), r.param("id"));
      r.seeOther("/ui/imports?done=rolled-back");
      return;
    }
    show(r);
  }

  /** {@code POST /ui/imports/upload?name=&type=}: starts the import, answers its record. */
  void upload(UiRequest r) throws IOException {
    if (!r.req().getMethod().equals("POST")) {
      throw OmemException.notFound("upload with POST");
    }
    byte[] body;
    try (InputStream in = r.req().getInputStream()) {
      body = in.readNBytes(MAX_BYTES + 1);
    }
    if (body.length > MAX_BYTES) {
      throw OmemException.invalid("the file is over 32 MiB");
    }
    String content = new String(body, StandardCharsets.UTF_8);
    String type = r.param("type");
    try {
      if (type == null) {
        type = ImportRequest.guessType(r.param("name"), content);
      }
      ImportRecord rec =
          service.startImport(
              r.caller(), new ImportRequest(type, content, r.param("name"), false, null, null));
      r.json(202, JSON.writeValueAsString(rec.toJson()));
    } catch (OmemException e) {
      // ui.js shows the message under the progress bar.
      r.json(
          e.code().httpStatus(),
          JSON.writeValueAsString(
              java.util.Map.of(
                  "error", java.util.Map.of("code", e.code().wire(), "message", e.getMessage()))));
    }
  }

  /** {@code GET /ui/imports/progress?id=}: the import's record, for the progress bar. */
  void progress(UiRequest r) throws IOException {
    ImportRecord rec = service.importRecord(r.caller(), r.param("id"));
    r.json(200, JSON.writeValueAsString(rec.toJson()));
  }

  private void show(UiRequest r) throws IOException {
    Html h = new Html();
    h.raw("<section aria-labelledby=\"up-h\"><h2 id=\"up-h\">Import a file</h2>");
    h.raw("<p>Markdown, omem JSON, Open Memory Protocol or ourmem files.</p>");
    h.raw("<form id=\"import-form\" class=\"upload\">");
    h.raw("<label for=\"import-file\">File</label> ");
    h.raw("<input id=\"import-file\" name=\"file\" type=\"file\" required> ");
    Views.select(
        h,
        "type",
        "File type",
        "",
        "",
        "guess from the file",
        "markdown",
        "Markdown",
        "omem",
        "omem JSON",
        "omp",
        "OMP",
        "ourmem",
        "ourmem");
    h.raw("<button type=\"submit\">Import</button></form>");
    h.raw("<p><label for=\"import-progress\">Progress</label> ");
    h.raw("<progress id=\"import-progress\" max=\"100\" value=\"0\"></progress> ");
    h.raw("<span id=\"import-status\" role=\"status\"></span></p></section>");

    h.raw("<section aria-labelledby=\"list-h\"><h2 id=\"list-h\">Imports</h2>");
    List<ImportRecord> all = service.imports(r.caller());
    if (all.isEmpty()) {
      h.raw("<p>No imports yet.</p>");
    } else {
      h.raw(
          "<table><caption>Imports, newest first</caption><thead><tr><th scope=\"col\">File</th>");
      h.raw(
          "<th scope=\"col\">Type</th><th scope=\"col\">Status</th><th scope=\"col\">Imported</th>");
      h.raw(
          "<th scope=\"col\">Skipped</th><th scope=\"col\">Errors</th><th scope=\"col\">When</th>");
      h.raw("<th scope=\"col\">Action</th></tr></thead><tbody>");
      for (ImportRecord i : all) {
        h.raw("<tr><td>").text(i.fileName()).raw("</td><td>").text(i.fileType());
        h.raw("</td><td>").text(i.status()).raw("</td><td>").text(i.imported());
        h.raw("</td><td>").text(i.skipped()).raw("</td><td>").text(i.errors().size());
        h.raw("</td><td>").text(Views.time(i.createdAt())).raw("</td><td>");
        if (i.finished() && !i.status().equals("rolled_back")) {
          h.raw("<form method=\"post\" action=\"/ui/imports\" class=\"inline\">");
          h.hidden("csrf", r.csrf()).hidden("action", "rollback").hidden("id", i.id());
          h.raw("<button type=\"submit\" aria-label=\"Roll back ").text(i.fileName()).raw("\">");
          h.raw("Roll back</button></form>");
        }
        h.raw("</td></tr>");
      }
      h.raw("</tbody></table>");
    }
    h.raw("</section>");
    r.html(200, Layout.page(r, "Imports", "/ui/imports", Views.notice(r), h.toString()));
  }
}
