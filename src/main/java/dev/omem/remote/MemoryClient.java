package dev.omem.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJsonReader;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.BackupInfo;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.BatchDeleteResult;
import dev.omem.service.Caller;
import dev.omem.service.ClientExtraction;
import dev.omem.service.DecayResult;
import dev.omem.service.ForgetResult;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.ListRequest;
import dev.omem.service.RequestValidator;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The memories area of the remote client: {@code /v1/memories}, tasks, profile, stats, upkeep. */
final class MemoryClient {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  /** The longest wait one request asks the server for (its route allows 25 s). */
  private static final long WAIT_PER_REQUEST_SECONDS = 20;

  private final RemoteHttp http;

  MemoryClient(RemoteHttp http) {
    this.http = http;
  }

  Memory store(Caller caller, StoreRequest r) {
    return memory(
        http.send(RemoteRequest.post("v1", "memories").caller(caller).body(MemoryBody.of(r))));
  }

  /**
   * One ingest route call. With the connected client's own model (MCP sampling), this process
   * extracts first ({@link ClientExtraction}, on the turns redacted as the server would) and sends
   * the facts in the {@code facts} extension: the server could not reach that model.
   */
  IngestResult ingest(Caller caller, IngestRequest original) {
    return ingest(caller, original, null);
  }

  /** {@link #ingest}, sent with {@code Idempotency-Key: key} when a key is given. */
  IngestResult ingest(Caller caller, IngestRequest original, String key) {
    IngestRequest r = ClientExtraction.withFacts(original);
    RemoteRequest req =
        RemoteRequest.post("v1", "memories").caller(caller).body(MemoryBody.of(r, caller));
    if (key != null) {
      req.header(RemoteHttp.IDEMPOTENCY_KEY, key);
    }
    JsonNode j = http.send(req);
    return http.read(() -> WireJson.read(j, IngestAnswer.class).result());
  }

  IngestTask task(Caller caller, String taskId) {
    return IngestTask.fromJson(
        http.send(RemoteRequest.get("v1", "tasks", RequestValidator.id(taskId)).caller(caller)));
  }

  IngestTask awaitTask(Caller caller, String taskId, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
      long wait = Math.max(0, Math.min(WAIT_PER_REQUEST_SECONDS, left));
      IngestTask t =
          IngestTask.fromJson(
              http.send(
                  RemoteRequest.get("v1", "tasks", RequestValidator.id(taskId))
                      .query("wait", wait)
                      .caller(caller)));
      if (t.finished() || wait == 0) {
        return t;
      }
    }
  }

  List<HistoryEntry> history(Caller caller, String id) {
    JsonNode j =
        http.send(
            RemoteRequest.get("v1", "memories", RequestValidator.id(id), "history").caller(caller));
    return MemoryJsonReader.history(j.path("history"));
  }

  /** An update; its expected version rides in the body's {@code version} (issue 17). */
  Memory update(Caller caller, UpdateRequest r) {
    String id = RequestValidator.id(r.id());
    try {
      return memory(
          http.send(
              RemoteRequest.put("v1", "memories", id).caller(caller).body(MemoryUpdateBody.of(r))));
    } catch (VersionConflict c) {
      long expected = r.expectedVersion() == null ? 0 : r.expectedVersion();
      throw new VersionConflict(id, expected, c.current(), c.getMessage());
    }
  }

  ForgetResult forget(Caller caller, String rawId) {
    String id = RequestValidator.id(rawId);
    JsonNode j = http.send(RemoteRequest.delete("v1", "memories", id).caller(caller));
    return new ForgetResult(id, j.path("status").asText("deleted"));
  }

  BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest r) {
    BatchDeleteBody body = BatchDeleteBody.of(r);
    JsonNode j =
        http.send(RemoteRequest.post("v1", "memories", "batch-delete").caller(caller).body(body));
    return http.read(
        () -> WireJson.read(j, BatchDeleteAnswer.class).result(body.memoryIds() != null));
  }

  long deleteAll(Caller caller) {
    JsonNode j =
        http.send(
            RemoteRequest.delete("v1", "memories", "all")
                .caller(caller)
                .header("X-Confirm", "delete-all"));
    return j.path("deleted").asLong();
  }

  SearchOutcome search(Caller caller, SearchRequest r) {
    RequestValidator.query(r.query()); // the same message as in-process, never a 414
    JsonNode j =
        http.send(
            RemoteRequest.get("v1", "memories", "search")
                .caller(caller)
                .query(SearchParams.write(r)));
    SearchOutcome out = http.read(() -> MemoryJsonReader.search(j));
    // A server that sends a trace unasked: the local service would not have.
    return r.includeTrace()
        ? out
        : new SearchOutcome(out.results(), null, out.reason(), null, out.candidates());
  }

  Memory get(Caller caller, String id) {
    return memory(
        http.send(RemoteRequest.get("v1", "memories", RequestValidator.id(id)).caller(caller)));
  }

  MemoryPage list(Caller caller, ListRequest r) {
    JsonNode j =
        http.send(RemoteRequest.get("v1", "memories").caller(caller).query(ListParams.write(r)));
    return http.read(() -> MemoryJsonReader.page(j));
  }

  Profile profile(Caller caller) {
    JsonNode j = http.send(RemoteRequest.get("v1", "profile").caller(caller));
    return http.read(() -> MemoryJsonReader.profile(j));
  }

  Map<String, Object> stats(Caller caller) {
    // Not the wire's mapper: the stats object's null values are kept as the server sent them.
    return RemoteHttp.JSON.convertValue(
        http.send(RemoteRequest.get("v1", "stats").caller(caller)), OBJECT);
  }

  /** omem's extension route {@code POST /v1/decay}: the server runs the pass on its store. */
  DecayResult decay(Caller caller) {
    JsonNode j = http.send(RemoteRequest.post("v1", "decay").caller(caller).body(Map.of()));
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
  BackupInfo backup(Caller caller, String file) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("file", file);
    JsonNode j = http.send(RemoteRequest.post("v1", "backups").caller(caller).body(body));
    return new BackupInfo(
        j.path("path").asText(),
        j.path("size_bytes").asLong(),
        Instant.parse(j.path("created_at").asText()));
  }

  private Memory memory(JsonNode j) {
    return http.read(() -> MemoryJsonReader.memory(j));
  }
}
