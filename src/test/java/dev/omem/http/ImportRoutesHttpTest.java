package dev.omem.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.Caller;
import dev.omem.service.ExportRequest;
import dev.omem.service.ExportResult;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** {@code /v1/imports} and {@code /v1/export} over real loopback HTTP (okhttp's multipart). */
class ImportRoutesHttpTest extends OneServerPerClass {
  /** A multipart upload as ourmem's clients send it; {@code fields} are name, value pairs. */
  private Res upload(String key, String fileName, String content, String... fields)
      throws IOException {
    MultipartBody.Builder b =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart(
                "file",
                fileName,
                RequestBody.create(
                    content.getBytes(StandardCharsets.UTF_8),
                    MediaType.get("application/octet-stream")));
    for (int i = 0; i < fields.length; i += 2) {
      b.addFormDataPart(fields[i], fields[i + 1]);
    }
    // okhttp writes the multipart body (boundary, dispositions); the fixture's client sends it.
    MultipartBody body = b.build();
    okio.Buffer bytes = new okio.Buffer();
    body.writeTo(bytes);
    return http.send(
        "POST",
        "/v1/imports",
        key,
        java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes.readByteArray()),
        "Content-Type",
        body.contentType().toString());
  }

  private static JsonNode json(Res r, int status) {
    assertEquals(status, r.status(), r.body());
    return r.json();
  }

  private static String jsonl(int n, String prefix) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(
              HttpFixture.json(
                  Map.of("content", prefix + " fact number " + i, "tags", List.of("bulk"))))
          .append('\n');
    }
    return b.toString();
  }

  @Test
  void multipartImportIsTheTenantsOwn() throws IOException {
    HttpFixture.Tenant a = http.newTenant("a");
    HttpFixture.Tenant b = http.newTenant("b");
    JsonNode rec =
        json(
            upload(
                a.key(),
                "facts.jsonl",
                jsonl(3, "Alpha") + "not json\n",
                "file_type",
                "jsonl",
                "agent_id",
                "importer-bot",
                "space_id",
                "personal/" + a.id()),
            200);
    assertEquals("partial", rec.path("status").asText(), rec.toString());
    assertEquals(4, rec.path("total_items").asInt());
    assertEquals(4, rec.path("processed").asInt());
    assertEquals(3, rec.path("imported").asInt());
    assertEquals(0, rec.path("skipped").asInt());
    assertEquals(1, rec.path("errors").size());
    assertEquals("facts.jsonl", rec.path("file_name").asText());
    String id = rec.path("id").asText();

    assertEquals(rec, http.get("/v1/imports/" + id, a.key()).expect(200));
    JsonNode list = http.get("/v1/imports", a.key()).expect(200);
    assertEquals(id, list.path("imports").get(0).path("id").asText());
    Map<String, JsonNode> mine = http.snapshot(a.key());
    assertEquals(3, mine.size());
    mine.values().forEach(m -> assertEquals("importer-bot", m.path("agent_id").asText()));

    http.get("/v1/imports/" + id, b.key()).expectError(404, "not_found");
    http.post("/v1/imports/" + id + "/rollback", b.key(), null).expectError(404, "not_found");
    assertEquals(0, http.get("/v1/imports", b.key()).expect(200).path("total").asInt());
    assertEquals(
        3,
        http.snapshot(a.key()).values().stream()
            .filter(m -> m.path("state").asText().equals("active"))
            .count());

    JsonNode rolled = http.post("/v1/imports/" + id + "/rollback", a.key(), null).expect(200);
    assertEquals("rolled_back", rolled.path("status").asText());
    http.snapshot(a.key()).values().forEach(m -> assertEquals("deleted", m.path("state").asText()));
    http.post("/v1/imports/" + id + "/rollback", a.key(), null).expectError(409, "conflict");
  }

  @Test
  void badInputIsAnEnvelopeAndStoresNothing() throws IOException {
    HttpFixture.Tenant a = http.newTenant("bad");
    upload(a.key(), "x.bin", "whatever", "file_type", "pdf").expectError(400, "validation_error");
    upload(a.key(), "m.json", "[{\"content\": \"unterminated", "file_type", "memory")
        .expectError(400, "validation_error");
    upload(a.key(), "m.md", "- a fact", "file_type", "markdown", "space_id", "team/acme")
        .expectError(400, "validation_error");
    upload(a.key(), "m.md", "- a fact", "file_type", "markdown", "force", "perhaps")
        .expectError(400, "validation_error");
    http.post("/v1/imports", a.key(), "{\"file_type\": \"memory\", ")
        .expectError(400, "validation_error");
    http.post("/v1/imports", a.key(), "{\"file_type\": \"memory\"}")
        .expectError(400, "validation_error");
    http.get("/v1/export?format=pdf", a.key()).expectError(400, "validation_error");
    // Found while the file streams, before its first byte: still the envelope, not a broken file.
    http.get("/v1/export?scope=nowhere!", a.key()).expectError(400, "validation_error");
    http.get("/v1/imports/" + java.util.UUID.randomUUID(), a.key()).expectError(404, "not_found");
    assertTrue(http.snapshot(a.key()).isEmpty());
    assertEquals(0, http.get("/v1/imports", a.key()).expect(200).path("total").asInt());
  }

  @Test
  void progressIsReadableWhileItRuns() throws Exception {
    HttpFixture.Tenant a = http.newTenant("bulk");
    Res started =
        http.post(
            "/v1/imports?wait=0",
            a.key(),
            HttpFixture.json(Map.of("file_type", "jsonl", "content", jsonl(450, "Bulk"))));
    assertTrue(started.status() == 202 || started.status() == 200, started.body());
    JsonNode rec = started.json();
    String id = rec.path("id").asText();
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 600 && !rec.path("status").asText().equals("completed"); i++) {
      assertEquals(450, rec.path("total_items").asInt());
      assertTrue(rec.has("processed") && rec.has("imported") && rec.has("skipped"), rec.toString());
      seen.add(rec.path("processed").asInt());
      Thread.sleep(20);
      rec = http.get("/v1/imports/" + id, a.key()).expect(200);
    }
    assertEquals("completed", rec.path("status").asText(), rec.toString());
    assertEquals(450, rec.path("processed").asInt());
    assertEquals(450, rec.path("imported").asInt());
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) >= seen.get(i - 1), "progress only grows: " + seen);
    }
    assertTrue(
        seen.stream().allMatch(p -> p % 100 == 0 || p == 450), "batches commit whole: " + seen);
  }

  @Test
  void exportFormatsAndTheRemoteClient() throws Exception {
    HttpFixture.Tenant a = http.newTenant("export");
    http.create(a.key(), "The billing service is written in Kotlin", "category", "entities");
    Res md = http.get("/v1/export?format=markdown", a.key());
    assertEquals(200, md.status(), md.body());
    assertTrue(
        md.header("Content-Type").orElse("").startsWith("text/markdown"),
        md.header("Content-Type").toString());
    assertTrue(
        md.body().contains("## Entities\n\n- The billing service is written in Kotlin\n"),
        md.body());
    JsonNode omem = http.get("/v1/export", a.key()).expect(200);
    assertEquals("omem", omem.path("format").asText());
    assertEquals(1, omem.path("memories").size());
    assertEquals(
        "0.1", http.get("/v1/export?format=omp", a.key()).expect(200).path("omp_version").asText());

    try (RemoteMemoryService remote =
        RemoteMemoryService.connect("http://127.0.0.1:" + http.server.port(), a.key())) {
      Caller me = new Caller(null, null, "cli", null);
      List<ImportRecord> heard = new ArrayList<>();
      ImportRecord r =
          remote.importFile(
              me,
              new ImportRequest(
                  "markdown",
                  "# Notes\n\n- Deploys happen on Tuesdays\n- The billing service is written in Kotlin\n",
                  "notes.md",
                  false,
                  null,
                  null),
              heard::add);
      assertEquals("completed", r.status(), r.toString());
      assertEquals(1, r.imported());
      assertEquals(1, r.skipped(), "already stored");
      assertFalse(heard.isEmpty());
      assertEquals(r.id(), remote.imports(me).get(0).id());
      StringWriter remoteMd = new StringWriter();
      ExportResult e = remote.export(me, new ExportRequest("markdown", null), remoteMd);
      assertEquals("markdown", e.format());
      assertTrue(remoteMd.toString().contains("- Deploys happen on Tuesdays"), remoteMd.toString());
      assertEquals("rolled_back", remote.rollbackImport(me, r.id()).status());
      assertEquals("rolled_back", remote.importRecord(me, r.id()).status());
    }
  }

  @Test
  void importUploadsMayBeLargerThanOtherBodies() throws IOException {
    HttpFixture.Tenant a = http.newTenant("large");
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      String words =
          ("memory " + i + " talks about the build cache and the deploy pipeline ").repeat(400);
      file.append(HttpFixture.json(Map.of("content", words.strip()))).append('\n');
    }
    assertTrue(file.length() > 1 << 20, "over the default body limit: " + file.length());
    JsonNode rec = json(upload(a.key(), "large.jsonl", file.toString(), "file_type", "jsonl"), 200);
    assertEquals("completed", rec.path("status").asText(), rec.toString());
    assertEquals(50, rec.path("imported").asInt());
    http.post("/v1/memories", a.key(), HttpFixture.json(Map.of("content", file.toString())))
        .expectError(413, "payload_too_large");
  }

  @Test
  void aRawUploadIsImportedFromTheSpoolAndABrokenOneStoresNothing() throws Exception {
    HttpFixture.Tenant a = http.newTenant("raw-a");
    HttpFixture.Tenant b = http.newTenant("raw-b");
    JsonNode rec =
        json(
            http.rawImport(
                a.key(),
                "file_type=jsonl&file_name=raw.jsonl&wait=20",
                jsonl(3, "Raw").getBytes(StandardCharsets.UTF_8)),
            200);
    assertEquals("completed", rec.path("status").asText(), rec.toString());
    assertEquals(3, rec.path("imported").asInt());
    assertEquals("raw.jsonl", rec.path("file_name").asText());
    assertEquals(3, http.snapshot(a.key()).size());
    assertEquals(List.of(), spooled(), "the upload's copy is removed");

    String export = http.get("/v1/export", a.key()).body();
    // Broken at its very end, after every memory: nothing stored, as when the body was parsed
    // whole.
    byte[] broken = (export.strip() + ",").getBytes(StandardCharsets.UTF_8);
    http.rawImport(b.key(), "file_type=omem", broken).expectError(400, "validation_error");
    http.rawImport(b.key(), "file_type=omem", new byte[] {'{', (byte) 0xff, '}'})
        .expectError(400, "validation_error");
    http.rawImport(b.key(), "file_type=omem", " \n\t ".getBytes(StandardCharsets.UTF_8))
        .expectError(400, "validation_error");
    http.rawImport(b.key(), "file_name=x.json", export.getBytes(StandardCharsets.UTF_8))
        .expectError(400, "validation_error"); // no file_type, as in the JSON form
    assertTrue(http.snapshot(b.key()).isEmpty());
    assertEquals(0, http.get("/v1/imports", b.key()).expect(200).path("total").asInt());
    assertEquals(List.of(), spooled(), "a refused upload's copy is removed too");

    // The client streams a file from disk (the CLI's path), its type guessed from its start.
    java.nio.file.Path file = home.resolve("export-of-a.json");
    java.nio.file.Files.writeString(file, export);
    try (RemoteMemoryService remote =
        RemoteMemoryService.connect("http://127.0.0.1:" + http.server.port(), b.key())) {
      ImportRecord r =
          remote.importFile(
              new Caller(null, null, "cli", null),
              ImportRequest.ofFile(file, null, false, null),
              null);
      assertEquals("completed", r.status(), r.toString());
      assertEquals("omem", r.fileType());
      assertEquals(3, r.imported());
    } finally {
      java.nio.file.Files.delete(file);
    }
    assertEquals(3, http.snapshot(b.key()).size());
    assertEquals(List.of(), spooled());
  }
}
