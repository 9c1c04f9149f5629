package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Memories, search results, pages, traces and history as the maps every face renders, made from
 * their Jackson-bound records ({@link MemoryWire} and the domain records; {@link DomainJson}), so
 * the shapes cannot drift apart. {@link MemoryJsonReader} reads them back.
 */
public final class MemoryJson {
  private MemoryJson() {}

  /** A memory's fields ({@link MemoryWire}) as a map a face may add fields to. */
  public static Map<String, Object> of(Memory m) {
    return DomainJson.map(MemoryWire.of(m));
  }

  /**
   * {@link #of} as JSON text (UTF-8), written straight from the record: for a face that adds no
   * field (the REST store's answer), the map and its second pass through Jackson cost CPU for
   * nothing (issue 19, BENCHMARKS.md session 23).
   */
  public static byte[] bytes(Memory m) {
    return DomainJson.bytes(MemoryWire.of(m));
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

  /** A search result flattened: the memory's fields plus {@code score}. */
  public static Map<String, Object> result(ScoredMemory s) {
    Map<String, Object> j = DomainJson.map(s);
    @SuppressWarnings("unchecked")
    Map<String, Object> memory = (Map<String, Object>) j.remove(ScoredMemory.MEMORY);
    memory.putAll(j);
    return memory;
  }

  /**
   * A search answer as the MCP tool and the CLI show it: {@code {results: [...memory fields,
   * score], reason?, trace?}}.
   */
  public static Map<String, Object> search(SearchOutcome out) {
    // The rest of the answer mapped without its results (their place kept), which are mapped once,
    // flattened: mapping the whole outcome first converted every result twice and threw one away
    // (issue 19: ~5% of an MCP search's Java samples at 10k, BENCHMARKS.md session 24).
    Map<String, Object> j =
        DomainJson.map(
            new SearchOutcome(
                List.of(), out.trace(), out.reason(), out.rerank(), out.candidates()));
    j.put(SearchOutcome.RESULTS, out.results().stream().map(MemoryJson::result).toList());
    return j;
  }

  /** ourmem's search answer: {@code {results: [{memory, score}], reason?, trace?}}. */
  public static Map<String, Object> restSearch(SearchOutcome out) {
    return DomainJson.map(out);
  }

  /**
   * {@link #restSearch} as JSON text (UTF-8), written straight from the records ({@link #bytes}).
   */
  public static byte[] restSearchBytes(SearchOutcome out) {
    return DomainJson.bytes(out);
  }

  /** ourmem's search results: {@code [{memory, score}]}, each a map a route may add to. */
  public static List<Map<String, Object>> restResults(List<ScoredMemory> results) {
    return results.stream().map(DomainJson::map).toList();
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
