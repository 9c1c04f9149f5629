package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.Tier;
import dev.omem.ingest.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks input before anything is touched, with messages a person can act on. Every face gets the
 * same checks because they live behind the service interface.
 */
public final class RequestValidator {
  private RequestValidator() {}

  static String content(String content) {
    if (content == null || content.isBlank()) {
      throw OmemException.invalid("content is required and must not be empty");
    }
    checkSize(content);
    content = TextChecks.visible("content", content);
    Redactor.Redaction clean = Redactor.redact(content);
    if (clean.nothingLeft()) {
      throw OmemException.invalid(
          "content was entirely private (inside <private>…</private> or secrets only);"
              + " nothing was stored");
    }
    return clean.text().strip();
  }

  /** Fails when {@code content} is over the 32 KiB a memory may hold. */
  static void checkSize(String content) {
    int bytes = content.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Limits.MAX_CONTENT_BYTES) {
      throw OmemException.invalid(
          "content is "
              + bytes
              + " bytes; the limit is "
              + Limits.MAX_CONTENT_BYTES
              + " bytes (32 KiB): store a summary, or split it into several memories");
    }
  }

  /**
   * Private stays private (DESIGN.md decision 8): {@code <private>} spans and recognisable secrets
   * are removed by {@link #content} and this method, the one gate every stored or indexed text
   * passes through (store, storeAll, update, ingest), so nothing behind it ever sees them. Always
   * on: there is no switch to turn it off, because a secret written to SQLite and Lucene cannot be
   * taken back (WAL files, index segments, backups) and a wrongly redacted token costs only a word.
   * Returns null when nothing is left, for callers (ingest) that skip rather than refuse.
   */
  static String redacted(String content) {
    String text = TextChecks.wellFormed("content", content);
    if (TextChecks.invisibleOnly(text)) {
      return null;
    }
    Redactor.Redaction clean = Redactor.redact(TextChecks.withoutControls(text));
    return clean.nothingLeft() ? null : clean.text();
  }

  /**
   * A memory's {@code source} (where it came from: a file, a URL, a tool): at most 200 characters,
   * redacted like content because a URL or a command line can carry a credential; null when blank.
   */
  static String source(String source) {
    if (source == null || source.isBlank()) {
      return null;
    }
    if (source.length() > Limits.MAX_SOURCE_CHARS) {
      throw OmemException.invalid(
          "source must be at most " + Limits.MAX_SOURCE_CHARS + " characters");
    }
    String s = TextChecks.wellFormed("source", source);
    return TextChecks.invisibleOnly(s)
        ? null
        : Redactor.clean(TextChecks.withoutControls(s)).strip();
  }

  /**
   * A copy of {@code values} (a memory's provenance from an import file) with every string in it,
   * at any depth, redacted: a file is free text the service did not write.
   */
  static Map<String, Object> redactedValues(Map<String, Object> values) {
    if (values == null) {
      return new LinkedHashMap<>();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(Redactor.clean(k), redactedValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object redactedValue(Object v) {
    if (v instanceof String s) {
      return Redactor.clean(s);
    }
    if (v instanceof Map<?, ?> m) {
      return redactedValues((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(RequestValidator::redactedValue).toList();
    }
    return v;
  }

  /**
   * A search query, stripped; the remote client checks it before sending too, because it travels in
   * a URL, where a long one would meet a proxy's or server's URI limit first.
   */
  public static String query(String query) {
    if (query == null || query.isBlank() || TextChecks.invisibleOnly(query)) {
      throw OmemException.invalid("query is required and must not be empty");
    }
    if (query.length() > Limits.MAX_QUERY_CHARS) {
      throw OmemException.invalid(
          "query is " + query.length() + " characters; the limit is " + Limits.MAX_QUERY_CHARS);
    }
    return TextChecks.wellFormed("query", query).strip();
  }

  /** A memory id, normalised; every face and the remote client check ids the same way. */
  public static String id(String id) {
    if (id == null || id.isBlank()) {
      throw OmemException.invalid("id is required");
    }
    try {
      return UUID.fromString(id.trim()).toString();
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid(
          "id '"
              + id
              + "' is not a memory id: ids are UUIDs like 3f2a9c1e-...; use memory_search"
              + " or memory_list to find one");
    }
  }

  static List<String> tags(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.size() > Limits.MAX_TAGS) {
      throw OmemException.invalid(
          tags.size() + " tags given; at most " + Limits.MAX_TAGS + " are allowed");
    }
    List<String> out = new ArrayList<>();
    for (String t : tags) {
      if (t == null || t.isBlank() || TextChecks.invisibleOnly(t)) {
        throw OmemException.invalid("tags must be non-empty strings");
      }
      // A tag is stored and indexed like content, so a key pasted as a tag is redacted too.
      String s = TextChecks.withoutControls(TextChecks.wellFormed("tags", t)).strip();
      if (s.length() > Limits.MAX_TAG_LENGTH) {
        throw OmemException.invalid(
            "tag '"
                + s.substring(0, 20)
                + "…' is longer than "
                + Limits.MAX_TAG_LENGTH
                + " characters");
      }
      s = Redactor.clean(s);
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  static Category category(String category) {
    return Category.parse(category)
        .orElseThrow(
            () ->
                OmemException.invalid(
                    "unknown category '" + category + "'; use one of: " + Category.names()));
  }

  static MemoryState state(String state) {
    try {
      return MemoryState.fromWire(state.trim());
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid(
          "unknown state '" + state + "'; use one of: active, archived, deleted");
    }
  }

  static Tier tier(String tier) {
    try {
      return Tier.fromWire(tier.trim());
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid("unknown tier '" + tier + "'; use core, working or peripheral");
    }
  }

  /** A filter's text value: null or blank is no filter; longer than 200 characters is refused. */
  static String optionalText(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > 200) {
      throw OmemException.invalid(field + " is longer than 200 characters");
    }
    return value.trim();
  }

  static MemoryType memoryType(String type) {
    try {
      return MemoryType.fromWire(type.trim());
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid(
          "unknown memory_type '" + type + "'; use pinned, insight or session");
    }
  }

  static double unit(String field, Double value, double dflt) {
    if (value == null) {
      return dflt;
    }
    if (value.isNaN() || value < 0 || value > 1) {
      throw OmemException.invalid(field + " must be between 0 and 1, got " + value);
    }
    return value;
  }

  static int range(String field, Integer value, int dflt, int min, int max) {
    if (value == null) {
      return dflt;
    }
    if (value < min || value > max) {
      throw OmemException.invalid(
          field + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
