package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {

  @Test
  void readsTokenizerJsonExactlyAsJacksonDoes() throws IOException {
    for (String resource :
        List.of(ModelCatalog.DEFAULT.tokenizerResource(), "all-minilm-l6-v2-q-tokenizer.json")) {
      if (!ClassPathResources.exists(resource)) {
        continue;
      }
      String json = new String(ClassPathResources.read(resource), StandardCharsets.UTF_8);
      Object expected = canonical(new ObjectMapper().readValue(json, Object.class));
      assertEquals(expected, canonical(MiniJson.parse(json)), resource);
    }
  }

  @Test
  void decodesEscapesNumbersAndLiterals() {
    Map<?, ?> m =
        (Map<?, ?>)
            MiniJson.parse(
                "{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\", \"i\":-12, \"d\":1.5e2,"
                    + " \"t\":true, \"f\":false, \"n\":null, \"a\":[ ], \"o\":{}}");
    assertEquals("a\"b\\c/d\n\té😀", m.get("s"));
    assertEquals(-12L, m.get("i"));
    assertEquals(150.0, m.get("d"));
    assertEquals(Boolean.TRUE, m.get("t"));
    assertEquals(Boolean.FALSE, m.get("f"));
    assertNull(m.get("n"));
    assertEquals(List.of(), m.get("a"));
    assertEquals(Map.of(), m.get("o"));
  }

  @Test
  void rejectsMalformedInput() {
    for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "\"open", "tru", "{} x", "\"\\x\"")) {
      assertThrows(IllegalArgumentException.class, () -> MiniJson.parse(bad), bad);
    }
  }

  /** Maps and lists as plain collections, every integral number as a Long. */
  private static Object canonical(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new HashMap<>();
      map.forEach((k, v) -> out.put(k, canonical(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(canonical(v)));
      return out;
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    return value;
  }
}
