package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answers of {@link MemoryJson} read back into domain records, for the remote client: a memory
 * and a history step through their Jackson-bound records ({@link MemoryWire}, {@link HistoryEntry},
 * lenient where ourmem servers differ from omem), and the envelopes around them (search, page,
 * trace, profile).
 */
public final class MemoryJsonReader {
  private MemoryJsonReader() {}

  /** A memory from its JSON object: {@link MemoryWire#memory}. */
  public static Memory memory(JsonNode j) {
    return MemoryWire.memory(j);
  }

  /** A memory from the map {@link MemoryJson#of} made (or any map of the same shape). */
  public static Memory memory(Map<String, ?> j) {
    return MemoryJson.read(j);
  }

  /**
   * A search answer. The REST shape is ourmem's {@code {results: [{memory, score}], trace?}}; the
   * flattened shape of the MCP tool and {@link MemoryJson#search} ({@code [{...memory, score}]}) is
   * read too.
   */
  public static SearchOutcome search(JsonNode j) {
    SearchOutcome out = DomainJson.read(j, SearchOutcome.class);
    List<ScoredMemory> results = new ArrayList<>();
    for (int i = 0; i < out.results().size(); i++) {
      ScoredMemory r = out.results().get(i);
      // flattened: the memory's fields beside the score
      Memory m = r.memory() != null ? r.memory() : memory(j.get(SearchOutcome.RESULTS).get(i));
      results.add(new ScoredMemory(m, r.score()));
    }
    JsonNode trace = j.get(SearchOutcome.TRACE);
    return new SearchOutcome(
        results,
        trace == null || trace.isNull() ? null : trace(trace),
        out.reason(),
        out.rerank(),
        out.candidates());
  }

  /**
   * A search trace: {@code {stages, total_duration_ms, final_count, mode?}}; without {@code
   * final_count}, the last stage's output count.
   */
  public static SearchTrace trace(JsonNode j) {
    SearchTrace t = DomainJson.read(j, SearchTrace.class);
    if (j.hasNonNull(SearchTrace.FINAL_COUNT)) {
      return t;
    }
    List<TraceStage> s = t.stages();
    int last = s.isEmpty() ? 0 : s.get(s.size() - 1).outputCount();
    return new SearchTrace(s, t.totalDurationMs(), last, t.mode());
  }

  /**
   * A listing: {@code {memories, total_count, limit, offset}}; without {@code total_count} or
   * {@code limit}, the page's size.
   */
  public static MemoryPage page(JsonNode j) {
    MemoryPage p = DomainJson.read(j, MemoryPage.class);
    int size = p.memories().size();
    return new MemoryPage(
        p.memories(),
        j.hasNonNull(MemoryPage.TOTAL_COUNT) ? p.totalCount() : size,
        j.hasNonNull(MemoryPage.LIMIT) ? p.limit() : size,
        p.offset());
  }

  /**
   * ourmem's profile answer. Facts are strings; a fact given as an object (a memory) is read by its
   * {@code content}.
   */
  public static Profile profile(JsonNode j) {
    return new Profile(facts(j.get("static_facts")), facts(j.get("dynamic_context")));
  }

  /** History steps read back from {@link MemoryJson#history}. */
  public static List<HistoryEntry> history(JsonNode j) {
    List<HistoryEntry> out = new ArrayList<>();
    for (JsonNode e : j) {
      out.add(DomainJson.read(e, HistoryEntry.class));
    }
    return out;
  }

  /** An RFC 3339 time ({@code Z} or an offset, any fraction of a second), or null. */
  public static Instant parseTime(String s) {
    return DomainJson.parseTime(s);
  }

  // ---- fields ----

  private static List<String> facts(JsonNode j) {
    List<String> out = new ArrayList<>();
    if (j != null && j.isArray()) {
      for (JsonNode f : j) {
        String s = f.isObject() ? text(f, "content") : f.isNull() ? null : f.asText();
        if (s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static Iterable<JsonNode> array(JsonNode j, String field) {
    JsonNode a = j == null ? null : j.get(field);
    if (a == null || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw DomainJson.unreadable("'" + field + "' must be an array, got " + kind(a));
    }
    return a;
  }

  private static String text(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static double number(JsonNode j, String field, double dflt) {
    JsonNode v = j.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.asText().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw DomainJson.unreadable("'" + field + "' must be a number, got " + v);
  }

  private static String kind(JsonNode j) {
    return j == null ? "nothing" : j.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
