package dev.omem.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** The JSON text columns (tags, relations, provenance). */
public final class JsonColumns {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, List<String>>> RELATIONS =
      new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private JsonColumns() {}

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON column", e);
    }
  }

  public static List<String> strings(String json) {
    return read(json, STRINGS, List.of());
  }

  public static Map<String, List<String>> relations(String json) {
    return read(json, RELATIONS, Map.of());
  }

  public static Map<String, Object> object(String json) {
    return read(json, OBJECT, Map.of());
  }

  private static <T> T read(String json, TypeReference<T> type, T empty) {
    if (json == null || json.isEmpty() || json.equals("[]") || json.equals("{}")) {
      return empty; // the common case, without a parse
    }
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON column: " + json, e);
    }
  }
}
