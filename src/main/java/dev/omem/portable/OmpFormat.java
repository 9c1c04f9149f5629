package dev.omem.portable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.MemoryJsonReader;
import dev.omem.domain.OmemException;
import dev.omem.domain.Scope;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Open Memory Protocol export file (OMP v0.1): {@code {omp_version, exported_at, server,
 * memories}}. The mapping:
 *
 * <ul>
 *   <li>type: {@code episodic} ↔ events, {@code procedural} ↔ cases, {@code semantic} ↔ profile,
 *       preferences, entities and patterns. omem writes the exact category as a tag {@code
 *       category:<name>} and reads it back; without one, a semantic memory tagged {@code
 *       preference(s)}, {@code profile} or {@code pattern(s)} gets that category, else entities.
 *   <li>{@code source.tool} ↔ source (the agent, else {@code omem}, when a memory has none); {@code
 *       source.session_id} ↔ session; {@code source.timestamp} is the memory's creation.
 *   <li>{@code namespace} {@code project:<x>} ↔ scope {@code project:<x>}; none ↔ global; another
 *       namespace is kept as a tag {@code namespace:<ns>}.
 *   <li>tags: lower-cased, characters outside {@code [a-z0-9_:-]} become {@code -}, at most 50
 *       characters and 20 tags.
 *   <li>the OMP id is kept in the imported memory's provenance ({@code omp_id}), so that a
 *       re-import skips it; an export reuses it, else derives {@code mem_} + 16 hex digits of the
 *       omem id.
 *   <li>metadata: {@code omem_id}, {@code importance}, {@code confidence}; importance is read back.
 * </ul>
 *
 * Memories over OMP's 10,000 characters are not exported (the caller counts them).
 */
public final class OmpFormat {
  public static final String VERSION = "0.1";
  public static final int MAX_CONTENT = 10_000;
  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG = 50;
  public static final Pattern ID = Pattern.compile("^mem_[a-z0-9]{16}$");
  public static final Pattern TAG = Pattern.compile("^[a-z0-9_:\\-]+$");
  private static final String CATEGORY_TAG = "category:";

  private OmpFormat() {}

  // ---- export ----

  /**
   * Starts the export file on {@code out}: give each {@link #exportable} memory ({@link #memory})
   * to the writer, then {@link JsonFileWriter#finish}. Memories over {@link #MAX_CONTENT}
   * characters are left out.
   */
  public static JsonFileWriter start(Writer out, Instant exportedAt, String server) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("omp_version", VERSION);
    file.put("exported_at", MemoryJson.time(exportedAt));
    file.put("server", server);
    return new JsonFileWriter(out, file, "memories");
  }

  public static boolean exportable(Memory m) {
    return m.content().length() <= MAX_CONTENT;
  }

  /** One memory as an OMP memory object (the export's items, and the OMP dialect's answers). */
  public static Map<String, Object> memory(Memory m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", ompId(m));
    j.put("content", m.content());
    j.put("type", type(m.category()));
    Map<String, Object> source = new LinkedHashMap<>();
    String tool = m.source() != null ? m.source() : m.agentId() != null ? m.agentId() : "omem";
    source.put("tool", tool.length() > 100 ? tool.substring(0, 100) : tool);
    if (m.sessionId() != null) {
      source.put("session_id", m.sessionId());
    }
    source.put("timestamp", MemoryJson.time(m.createdAt()));
    j.put("source", source);
    j.put("tags", tags(m));
    if (m.project() != null) {
      String ns = tag(Scope.PROJECT_PREFIX + m.project());
      if (ns != null && ns.length() <= 100) {
        j.put("namespace", ns);
      }
    }
    j.put("created_at", MemoryJson.time(m.createdAt()));
    j.put("updated_at", MemoryJson.time(m.updatedAt()));
    j.put("expires_at", MemoryJson.time(m.expiresAt()));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("omem_id", m.id());
    meta.put("importance", m.importance());
    meta.put("confidence", m.confidence());
    j.put("metadata", meta);
    return j;
  }

  /** The memory's OMP id: the one kept from an import, else {@code mem_} + its id's first 16. */
  public static String ompId(Memory m) {
    Object kept = m.provenance().get("omp_id");
    if (kept instanceof String s && ID.matcher(s).matches()) {
      return s;
    }
    String hex = m.id().replace("-", "").toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder();
    for (char c : hex.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 128) {
        b.append(c);
      }
    }
    while (b.length() < 16) {
      b.append('0');
    }
    return "mem_" + b.substring(0, 16);
  }

  static String type(Category c) {
    return switch (c) {
      case EVENTS -> "episodic";
      case CASES -> "procedural";
      default -> "semantic";
    };
  }

  private static List<String> tags(Memory m) {
    Set<String> out = new LinkedHashSet<>();
    out.add(CATEGORY_TAG + m.category().wire());
    for (String t : m.tags()) {
      String s = tag(t);
      if (s != null) {
        out.add(s);
      }
    }
    return new ArrayList<>(out).subList(0, Math.min(out.size(), MAX_TAGS));
  }

  /** A tag in OMP's pattern, or null when nothing of it is left. */
  public static String tag(String raw) {
    String s = raw.toLowerCase(Locale.ROOT).strip().replaceAll("[^a-z0-9_:\\-]+", "-");
    s = s.replaceAll("-{2,}", "-").replaceAll("^-+|-+$", "");
    if (s.length() > MAX_TAG) {
      s = s.substring(0, MAX_TAG).replaceAll("-+$", "");
    }
    return s.isEmpty() ? null : s;
  }

  // ---- import ----

  /** The memories of an OMP export file; an item missing a required field is an error entry. */
  public static ParsedFile read(String text) {
    JsonNode root = PortableJson.parse(text, "OMP");
    JsonNode memories = root.isArray() ? root : root.get("memories");
    if (root.isObject() && !root.has("omp_version")) {
      throw OmemException.invalid("not an OMP export: the object has no omp_version");
    }
    if (memories == null || !memories.isArray()) {
      throw OmemException.invalid("an OMP export needs a \"memories\" array");
    }
    List<ImportItem> items = new ArrayList<>();
    List<ParsedFile.ItemError> errors = new ArrayList<>();
    int i = 0;
    for (JsonNode j : memories) {
      try {
        items.add(item(j));
      } catch (RuntimeException e) {
        errors.add(new ParsedFile.ItemError(i, OmemFormat.message(e)));
      }
      i++;
    }
    return ParsedFile.items(items, errors, memories.size());
  }

  static ImportItem item(JsonNode j) {
    if (!j.isObject()) {
      throw new IllegalArgumentException("a memory must be a JSON object");
    }
    String id = required(j, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id '" + id + "' is not mem_ followed by 16 [a-z0-9]");
    }
    String content = required(j, "content");
    if (content.length() > MAX_CONTENT) {
      throw new IllegalArgumentException(id + ": content is over 10000 characters");
    }
    String type = required(j, "type");
    JsonNode source = j.get("source");
    if (source == null || !source.isObject()) {
      throw new IllegalArgumentException(id + ": source is required and must be an object");
    }
    String tool = required(source, "tool");
    if (tool.length() > 100) {
      throw new IllegalArgumentException(id + ": source.tool is over 100 characters");
    }
    Instant observed = time(source, "timestamp", true, id);
    Instant created = time(j, "created_at", true, id);
    time(j, "updated_at", true, id);
    Instant expires = time(j, "expires_at", false, id);
    List<String> tags = new ArrayList<>();
    JsonNode t = j.get("tags");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw new IllegalArgumentException(id + ": tags must be a list");
      }
      t.forEach(x -> tags.add(x.asText()));
    }
    String category = category(type, tags, id);
    tags.removeIf(x -> x.startsWith(CATEGORY_TAG));
    String scope = Scope.GLOBAL; // OMP: no namespace is global, whoever imports it
    String ns = PortableJson.text(j, "namespace");
    if (ns != null && ns.startsWith(Scope.PROJECT_PREFIX)) {
      scope = ns;
    } else if (ns != null && !ns.isBlank()) {
      tags.add("namespace:" + ns);
    }
    Double importance = null;
    JsonNode meta = j.get("metadata");
    if (meta != null && meta.path("importance").isNumber()) {
      double v = meta.path("importance").asDouble();
      importance = v >= 0 && v <= 1 ? v : null;
    }
    return new ImportItem(
        content,
        category,
        tags,
        scope,
        tool,
        importance,
        PortableJson.text(source, "session_id"),
        created != null ? created : observed,
        expires,
        Map.of("omp_id", id));
  }

  private static String category(String type, List<String> tags, String id) {
    for (String t : tags) {
      if (t.startsWith(CATEGORY_TAG)) {
        Category c = Category.parse(t.substring(CATEGORY_TAG.length())).orElse(null);
        if (c != null && type(c).equals(type)) {
          return c.wire();
        }
      }
    }
    return switch (type) {
      case "episodic" -> Category.EVENTS.wire();
      case "procedural" -> Category.CASES.wire();
      case "semantic" -> semantic(tags);
      default ->
          throw new IllegalArgumentException(
              id + ": type '" + type + "' is not episodic, semantic or procedural");
    };
  }

  /**
   * The omem category of an OMP {@code type} (with the exact category tag omem writes, or the tags
   * that name a semantic kind); an unknown type is a validation error.
   */
  public static String categoryOf(String type, List<String> tags) {
    if (type == null || type.isBlank()) {
      throw OmemException.invalid("type is required: episodic, semantic or procedural");
    }
    try {
      return category(type, tags == null ? List.of() : tags, "memory");
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid("type '" + type + "' is not episodic, semantic or procedural");
    }
  }

  private static String semantic(List<String> tags) {
    for (String t : tags) {
      switch (t) {
        case "preference", "preferences" -> {
          return Category.PREFERENCES.wire();
        }
        case "profile" -> {
          return Category.PROFILE.wire();
        }
        case "pattern", "patterns" -> {
          return Category.PATTERNS.wire();
        }
        default -> {}
      }
    }
    return Category.ENTITIES.wire();
  }

  private static String required(JsonNode j, String field) {
    String v = PortableJson.text(j, field);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  private static Instant time(JsonNode j, String field, boolean required, String id) {
    String v = PortableJson.text(j, field);
    if (v == null) {
      if (required) {
        throw new IllegalArgumentException(id + ": " + field + " is required");
      }
      return null;
    }
    try {
      return MemoryJsonReader.parseTime(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(id + ": " + field + " is not an ISO-8601 time", e);
    }
  }
}
