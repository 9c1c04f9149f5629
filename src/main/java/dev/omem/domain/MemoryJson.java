package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memories and search results as ourmem's Memory JSON: snake_case field names, RFC 3339 times.
 * Every face renders through here, so the shapes cannot drift apart.
 */
public final class MemoryJson {
  private MemoryJson() {}

  /** A memory's fields ({@link MemoryWire}) as a map a face may add fields to. */
  public static Map<String, Object> of(Memory m) {
    return DomainJson.map(MemoryWire.of(m));
  }

  /** The inverse of {@link #of}: see {@link MemoryWire#memory(JsonNode)}. */
  public static Memory read(JsonNode j) {
    return MemoryWire.memory(j);
  }

  /** The inverse of {@link #of}, from the map itself. */
  public static Memory read(Map<String, ?> j) {
    return MemoryWire.memory(DomainJson.JSON.valueToTree(j));
  }

  /** A memory with its history: what {@code memory_get} and {@code GET /v1/memories/{id}} show. */
  public static Map<String, Object> withHistory(Memory m, List<HistoryEntry> history) {
    Map<String, Object> out = of(m);
    out.put("history", history(history));
    return out;
  }

  /** History steps as JSON ({@link HistoryEntry}'s wire fields), oldest first. */
  public static List<Map<String, Object>> history(List<HistoryEntry> history) {
    return history.stream().map(DomainJson::map).toList();
  }

  /** A search result: the memory's fields plus {@code score}. */
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

  /** A listing: {@code {memories, total_count, limit, offset}} ({@link MemoryPage}'s fields). */
  public static Map<String, Object> page(MemoryPage page) {
    return DomainJson.map(page);
  }

  /** A search trace ({@link SearchTrace}'s fields). */
  public static Map<String, Object> trace(SearchTrace t) {
    return DomainJson.map(t);
  }

  public static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
