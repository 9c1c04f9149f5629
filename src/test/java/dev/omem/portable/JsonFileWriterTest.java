package dev.omem.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streamed file is the text the whole object gives (sorted keys, indented, a final newline): an
 * export written memory by memory is byte for byte the one written in one piece before.
 */
class JsonFileWriterTest {
  private static String whole(Map<String, Object> file) throws Exception {
    return PortableJson.JSON.writeValueAsString(file) + "\n";
  }

  private static String streamed(Map<String, Object> head, String array, List<?> items) {
    StringWriter out = new StringWriter();
    JsonFileWriter w = new JsonFileWriter(out, head, array);
    items.forEach(w::item);
    w.finish();
    return out.toString();
  }

  private static Map<String, Object> item(String id, int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("content", "line one\nline \"two\" é ✓");
    m.put("tags", List.of("b", "a"));
    m.put("relations", Map.of("supersedes", List.of("x", "y"), "related", List.of()));
    m.put("history", List.of(Map.of("step", n, "at", "2026-12-06T00:00:00Z"), Map.of()));
    m.put("importance", 0.5 + n);
    m.put("expires_at", null);
    return m;
  }

  @Test
  void streamedItemsGiveTheWholeObjectsText() throws Exception {
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("format", "omem");
    head.put("version", 1);
    head.put("exported_at", "2026-12-06T04:00:00.000Z");
    head.put("zeta", Map.of("after", true)); // a field that sorts after the array
    List<Map<String, Object>> items = List.of(item("a", 1), item("b", 2), item("c", 3));
    Map<String, Object> whole = new LinkedHashMap<>(head);
    whole.put("memories", items);
    assertEquals(whole(whole), streamed(head, "memories", items));
  }

  @Test
  void anEmptyArrayIsWrittenAsTheWholeObjectWritesIt() throws Exception {
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("omp_version", "0.1");
    head.put("exported_at", "2026-12-06T04:00:00.000Z");
    head.put("server", "omem");
    Map<String, Object> whole = new LinkedHashMap<>(head);
    whole.put("memories", List.of());
    assertEquals(whole(whole), streamed(head, "memories", List.of()));
  }
}
