package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memories and search results as ourmem's Memory JSON: snake_case field names, RFC 3339 times.
 * Every face renders through here, so the shapes cannot drift apart.
 */
public final class MemoryJson {
  private MemoryJson() {}

  public static Map<String, Object> of(Memory m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", m.id());
    j.put("content", m.content());
    j.put("category", m.category().wire());
    j.put("memory_type", m.memoryType().wire());
    j.put("state", m.state().wire());
    j.put("tier", m.tier().wire());
    j.put("importance", m.importance());
    j.put("confidence", m.confidence());
    j.put("access_count", m.accessCount());
    j.put("last_accessed_at", time(m.lastAccessedAt()));
    j.put("tags", m.tags());
    j.put("scope", m.scope());
    j.put("project", m.project());
    j.put("agent_id", m.agentId());
    j.put("session_id", m.sessionId());
    j.put("source", m.source());
    j.put("relations", relations(m.relations()));
    j.put("superseded_by", m.supersededBy());
    j.put("invalidated_at", time(m.invalidatedAt()));
    j.put("space_id", m.spaceId());
    j.put("provenance", m.provenance().isEmpty() ? null : m.provenance());
    j.put("version", m.version());
    j.put("created_at", time(m.createdAt()));
    j.put("updated_at", time(m.updatedAt()));
    j.put("expires_at", time(m.expiresAt()));
    j.put("tenant_id", m.tenantId());
    // omem's trust extension (issue 14); ourmem clients ignore fields they do not know.
    j.put("confirmed", m.trust().confirmed());
    j.put("flag", m.trust().flag());
    return j;
  }

  /** The inverse of {@link #of}: see {@link MemoryJsonReader#memory(JsonNode)}. */
  public static Memory read(JsonNode j) {
    return MemoryJsonReader.memory(j);
  }

  /** The inverse of {@link #of}, from the map itself. */
  public static Memory read(Map<String, ?> j) {
    return MemoryJsonReader.memory(j);
  }

  /** A search result: the memory's fields plus {@code score}. */
  /** A memory with its history: what {@code memory_get} and {@code GET /v1/memories/{id}} show. */
  public static Map<String, Object> withHistory(Memory m, List<HistoryEntry> history) {
    Map<String, Object> out = of(m);
    out.put("history", history(history));
    return out;
  }

  /** History steps as JSON, oldest first. */
  public static List<Map<String, Object>> history(List<HistoryEntry> history) {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (HistoryEntry e : history) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("action", e.action().wire());
      j.put("at", time(e.at()));
      j.put("session_id", e.sessionId());
      j.put("agent_id", e.agentId());
      j.put("source", e.source());
      j.put("related_id", e.relatedId());
      j.put("note", e.note());
      out.add(j);
    }
    return out;
  }

  public static Map<String, Object> result(ScoredMemory s) {
    Map<String, Object> j = of(s.memory());
    j.put("score", s.score());
    return j;
  }

  /** A search answer: {@code {results: [...memory fields, score], trace?}}. */
  public static Map<String, Object> search(SearchOutcome out) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("results", out.results().stream().map(MemoryJson::result).toList());
    if (out.reason() != null) {
      j.put("reason", out.reason());
    }
    if (out.trace() != null) {
      j.put("trace", trace(out.trace()));
    }
    return j;
  }

  /** A listing: {@code {memories, total_count, limit, offset}}. */
  public static Map<String, Object> page(MemoryPage page) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("memories", page.memories().stream().map(MemoryJson::of).toList());
    j.put("total_count", page.totalCount());
    j.put("limit", page.limit());
    j.put("offset", page.offset());
    return j;
  }

  public static Map<String, Object> trace(SearchTrace t) {
    List<Map<String, Object>> stages = new ArrayList<>();
    for (TraceStage s : t.stages()) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("name", s.name());
      j.put("input_count", s.inputCount());
      j.put("output_count", s.outputCount());
      j.put("duration_ms", s.durationMs());
      j.put("score_range", List.of(s.scoreRange()[0], s.scoreRange()[1]));
      if (s.note() != null) {
        j.put("note", s.note());
      }
      stages.add(j);
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("stages", stages);
    j.put("total_duration_ms", t.totalDurationMs());
    j.put("final_count", t.finalCount());
    j.put("mode", t.mode());
    return j;
  }

  private static List<Map<String, Object>> relations(Map<String, List<String>> rel) {
    List<Map<String, Object>> out = new ArrayList<>();
    rel.forEach(
        (kind, ids) -> ids.forEach(id -> out.add(Map.of("relation_type", kind, "target_id", id))));
    return out;
  }

  public static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
