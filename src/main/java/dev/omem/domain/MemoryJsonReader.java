package dev.omem.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The inverse of {@link MemoryJson}: ourmem's Memory JSON (and omem's extensions of it) back into
 * domain records, for the remote client. Lenient where ourmem servers differ from omem, strict
 * where a value would be wrong:
 *
 * <ul>
 *   <li>unknown fields are ignored (ourmem sends extras such as {@code stale_info});
 *   <li>omem's extensions may be missing: {@code expires_at} and {@code tenant_id} become null,
 *       {@code confirmed} true and {@code flag} null, {@code scope} comes from {@code project} when
 *       only that is given, else {@code global};
 *   <li>missing ourmem fields take ourmem's defaults (state active, tier peripheral, memory_type
 *       pinned, importance and confidence 0.5, version 1; category entities, the classifier's
 *       fallback); an enum value omem does not know falls back to the same default, so a newer
 *       server cannot make a whole answer unreadable;
 *   <li>a time that is present but not RFC 3339 is an error, not a silent null.
 * </ul>
 */
public final class MemoryJsonReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private MemoryJsonReader() {}

  /** A memory from its JSON object. */
  public static Memory memory(JsonNode j) {
    if (j == null || !j.isObject()) {
      throw unreadable("a memory must be a JSON object, got " + kind(j));
    }
    return new Memory(
        text(j, "id"),
        text(j, "tenant_id"),
        text(j, "space_id"),
        text(j, "content"),
        Category.parse(text(j, "category")).orElse(Category.ENTITIES),
        enumOr(text(j, "memory_type"), MemoryType.class, MemoryType.PINNED),
        enumOr(text(j, "state"), MemoryState.class, MemoryState.ACTIVE),
        enumOr(text(j, "tier"), Tier.class, Tier.PERIPHERAL),
        number(j, "importance", 0.5),
        number(j, "confidence", 0.5),
        (long) number(j, "access_count", 0),
        time(j, "last_accessed_at"),
        strings(j.get("tags")),
        scope(j),
        text(j, "agent_id"),
        text(j, "session_id"),
        text(j, "source"),
        relations(j.get("relations")),
        text(j, "superseded_by"),
        time(j, "invalidated_at"),
        provenance(j.get("provenance")),
        (long) number(j, "version", 1),
        time(j, "created_at"),
        time(j, "updated_at"),
        time(j, "expires_at"),
        trust(j));
  }

  /**
   * omem's trust extension (issue 14): {@code confirmed} missing (an ourmem server) means
   * confirmed, as every memory was before; {@code flag} missing means not flagged.
   */
  private static Trust trust(JsonNode j) {
    JsonNode c = j.get("confirmed");
    boolean confirmed = c == null || c.isNull() || !c.isBoolean() || c.booleanValue();
    return new Trust(confirmed, text(j, "flag"));
  }

  /** A memory from the map {@link MemoryJson#of} made (or any map of the same shape). */
  public static Memory memory(Map<String, ?> j) {
    JsonNode tree = JSON.valueToTree(j);
    return memory(tree);
  }

  /**
   * A search answer. The REST shape is ourmem's {@code {results: [{memory, score}], trace?}}; the
   * flattened shape of the MCP tool and {@link MemoryJson#search} ({@code [{...memory, score}]}) is
   * read too.
   */
  public static SearchOutcome search(JsonNode j) {
    List<ScoredMemory> results = new ArrayList<>();
    for (JsonNode r : array(j, "results")) {
      JsonNode m = r.has("memory") ? r.get("memory") : r;
      results.add(new ScoredMemory(memory(m), number(r, "score", 0)));
    }
    JsonNode t = j.get("trace");
    JsonNode reason = j.get("reason");
    return new SearchOutcome(
        results,
        t == null || t.isNull() ? null : trace(t),
        reason == null || !reason.isTextual() ? null : reason.asText());
  }

  /** A search trace: {@code {stages, total_duration_ms, final_count, mode?}}. */
  public static SearchTrace trace(JsonNode j) {
    List<TraceStage> stages = new ArrayList<>();
    for (JsonNode s : array(j, "stages")) {
      JsonNode range = s.get("score_range");
      double lo = range != null && range.size() > 0 ? range.get(0).asDouble() : 0;
      double hi = range != null && range.size() > 1 ? range.get(1).asDouble() : lo;
      stages.add(
          new TraceStage(
              text(s, "name"),
              (int) number(s, "input_count", 0),
              (int) number(s, "output_count", 0),
              number(s, "duration_ms", 0),
              new double[] {lo, hi},
              text(s, "note")));
    }
    return new SearchTrace(
        stages,
        number(j, "total_duration_ms", 0),
        (int)
            number(
                j,
                "final_count",
                stages.isEmpty() ? 0 : stages.get(stages.size() - 1).outputCount()),
        text(j, "mode"));
  }

  /** A listing: {@code {memories, total_count, limit, offset}}. */
  public static MemoryPage page(JsonNode j) {
    List<Memory> memories = new ArrayList<>();
    for (JsonNode m : array(j, "memories")) {
      memories.add(memory(m));
    }
    return new MemoryPage(
        memories,
        (long) number(j, "total_count", memories.size()),
        (int) number(j, "limit", memories.size()),
        (int) number(j, "offset", 0));
  }

  /**
   * ourmem's profile answer. Facts are strings; a fact given as an object (a memory) is read by its
   * {@code content}.
   */
  public static Profile profile(JsonNode j) {
    return new Profile(facts(j.get("static_facts")), facts(j.get("dynamic_context")));
  }

  /** An RFC 3339 time ({@code Z} or an offset, any fraction of a second), or null. */
  /** History steps read back from {@link MemoryJson#history}. */
  public static List<HistoryEntry> history(JsonNode j) {
    List<HistoryEntry> out = new java.util.ArrayList<>();
    for (JsonNode e : j) {
      out.add(
          new HistoryEntry(
              HistoryEntry.Action.fromWire(e.path("action").asText()),
              parseTime(e.path("at").asText()),
              textOrNull(e, "session_id"),
              textOrNull(e, "agent_id"),
              textOrNull(e, "source"),
              textOrNull(e, "related_id"),
              textOrNull(e, "note")));
    }
    return out;
  }

  private static String textOrNull(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  public static Instant parseTime(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.trim().toUpperCase(Locale.ROOT).replace(' ', 'T');
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e2) {
        throw unreadable("'" + s + "' is not an RFC 3339 time");
      }
    }
  }

  // ---- fields ----

  private static String scope(JsonNode j) {
    String scope = text(j, "scope");
    if (scope != null) {
      return scope;
    }
    String project = text(j, "project");
    return project != null ? Scope.project(project) : Scope.GLOBAL;
  }

  /**
   * ourmem's {@code [{relation_type, target_id}]}; omem's own column form {@code {kind: [ids]}} is
   * accepted too.
   */
  private static Map<String, List<String>> relations(JsonNode j) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (j == null || j.isNull()) {
      return out;
    }
    if (j.isObject()) {
      j.properties().forEach(e -> out.put(e.getKey(), List.copyOf(strings(e.getValue()))));
      return out;
    }
    for (JsonNode r : j) {
      String kind = text(r, "relation_type");
      String target = text(r, "target_id");
      if (kind != null && target != null) {
        out.computeIfAbsent(kind, k -> new ArrayList<>()).add(target);
      }
    }
    out.replaceAll((kind, ids) -> List.copyOf(ids));
    return out;
  }

  /**
   * The provenance object without its null entries: ourmem sends {@code shared_by_agent: null}, and
   * {@link Memory} holds no nulls (an absent key reads the same).
   */
  private static Map<String, Object> provenance(JsonNode j) {
    if (j == null || !j.isObject()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>(JSON.convertValue(j, OBJECT));
    out.values().removeIf(Objects::isNull);
    return out;
  }

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

  private static List<String> strings(JsonNode j) {
    List<String> out = new ArrayList<>();
    if (j != null && j.isArray()) {
      for (JsonNode s : j) {
        if (!s.isNull()) {
          out.add(s.asText());
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
      throw unreadable("'" + field + "' must be an array, got " + kind(a));
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
    throw unreadable("'" + field + "' must be a number, got " + v);
  }

  private static Instant time(JsonNode j, String field) {
    try {
      return parseTime(text(j, field));
    } catch (OmemException e) {
      throw unreadable("'" + field + "': " + e.getMessage());
    }
  }

  private static <E extends Enum<E>> E enumOr(String wire, Class<E> type, E dflt) {
    if (wire == null) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, wire.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return dflt;
    }
  }

  private static String kind(JsonNode j) {
    return j == null ? "nothing" : j.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static OmemException unreadable(String message) {
    return new OmemException(ErrorCode.INTERNAL, message);
  }
}
