package dev.omem.portable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.MemoryJsonReader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * omem's own export: {@code {"format":"omem","version":1,"exported_at":…,"memories":[…]}}, each
 * memory with every field of its Memory JSON, its {@code history} and, when it has one, its vector.
 * An import restores the memories as they were (same ids, states, relations, times, counts), so
 * export → import into an empty store → export gives the same file but for {@code exported_at}.
 *
 * <p>Per memory, beside the Memory JSON fields: {@code history} (the steps of {@link
 * MemoryJson#history}), {@code embedding} (the vector as base64 of its float32 little-endian bytes,
 * the store's own blob) and {@code embedding_model} (the model that made it; a store with another
 * model re-embeds in the background). {@code tenant_id} is left out, and so is {@code space_id}
 * when it is the tenant's personal space: both belong to the store that exports, and an import puts
 * the memories in the importing tenant's personal space. {@code relations} is written as {@code
 * {kind: [ids]}} with sorted kinds.
 */
public final class OmemFormat {
  public static final String FORMAT = "omem";
  public static final int VERSION = 1;

  private OmemFormat() {}

  /**
   * Starts an omem file on {@code out}: give each memory ({@link #item}) to the writer, then {@link
   * JsonFileWriter#finish}.
   */
  public static JsonFileWriter start(Writer out, Instant exportedAt) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("format", FORMAT);
    file.put("version", VERSION);
    file.put("exported_at", MemoryJson.time(exportedAt));
    return new JsonFileWriter(out, file, "memories");
  }

  /** One memory of the file's {@code memories}. */
  public static Map<String, Object> item(PortableMemory p) {
    Memory m = p.memory();
    Map<String, Object> j = MemoryJson.of(m);
    j.remove("tenant_id");
    j.remove("project"); // derived from scope
    if (m.spaceId() == null || m.spaceId().equals("personal/" + m.tenantId())) {
      j.remove("space_id");
    }
    j.put("relations", new TreeMap<>(m.relations()));
    j.put("history", MemoryJson.history(p.history()));
    if (p.vector() != null) {
      j.put("embedding", encode(p.vector()));
      j.put("embedding_model", p.model());
    }
    return j;
  }

  /**
   * The memories of an omem file. The file's shape (format, version, a memories array) must be
   * right or nothing is read; a memory that cannot be read is an error entry. The memories are read
   * again, one at a time, as the import takes them ({@link OmemFileReader}): the file is never held
   * as one JSON tree.
   */
  public static ParsedFile read(String text) {
    OmemFileReader r = OmemFileReader.check(() -> new StringReader(text), OmemFormat::readMemory);
    return new ParsedFile(r, List.of(), List.of(), r.errors(), r.total());
  }

  /**
   * {@link #read(String)} of a file on disk, UTF-8 (checked by {@link FileHead}): read twice as the
   * import goes, never held.
   */
  static ParsedFile read(java.nio.file.Path file) {
    OmemFileReader r =
        OmemFileReader.check(
            () ->
                java.nio.file.Files.newBufferedReader(
                    file, java.nio.charset.StandardCharsets.UTF_8),
            OmemFormat::readMemory);
    return new ParsedFile(r, List.of(), List.of(), r.errors(), r.total());
  }

  private static PortableMemory readMemory(JsonNode j) {
    if (!j.isObject()) {
      throw new IllegalArgumentException("a memory must be a JSON object");
    }
    for (String f : new String[] {"id", "content", "created_at", "updated_at"}) {
      if (!j.path(f).isTextual() || j.path(f).asText().isBlank()) {
        throw new IllegalArgumentException(f + " is required");
      }
    }
    Memory m = MemoryJsonReader.memory(j);
    JsonNode h = j.get("history");
    List<HistoryEntry> history = h == null || h.isNull() ? List.of() : MemoryJsonReader.history(h);
    float[] vector = null;
    String model = null;
    JsonNode e = j.get("embedding");
    if (e != null && !e.isNull()) {
      vector = decode(e.asText());
      model = PortableJson.text(j, "embedding_model");
    }
    return new PortableMemory(m, history, vector, model);
  }

  /** Base64 of the vector's float32 little-endian bytes. */
  static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  static float[] decode(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("embedding is not base64", e);
    }
    if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("embedding is not a float32 vector");
    }
    float[] v = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  static String message(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
