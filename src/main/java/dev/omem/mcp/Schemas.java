package dev.omem.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the JSON Schemas of tool inputs and outputs. */
final class Schemas {
  private Schemas() {}

  static Map<String, Object> object(List<String> required, Map<String, Object> properties) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    s.put("properties", properties);
    if (!required.isEmpty()) {
      s.put("required", required);
    }
    return s;
  }

  static Map<String, Object> props(Object... nameThenSchema) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < nameThenSchema.length; i += 2) {
      p.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
    }
    return p;
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> string(String description, int maxLength) {
    return Map.of("type", "string", "description", description, "maxLength", maxLength);
  }

  static Map<String, Object> enumOf(String description, List<String> values) {
    return Map.of("type", "string", "description", description, "enum", values);
  }

  static Map<String, Object> integer(String description, int min, int max) {
    return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
  }

  static Map<String, Object> number(String description, double min, double max) {
    return Map.of("type", "number", "description", description, "minimum", min, "maximum", max);
  }

  static Map<String, Object> bool(String description) {
    return Map.of("type", "boolean", "description", description);
  }

  static Map<String, Object> strings(String description, int maxItems, int maxLength) {
    return Map.of(
        "type",
        "array",
        "description",
        description,
        "maxItems",
        maxItems,
        "items",
        Map.of("type", "string", "maxLength", maxLength));
  }

  /** The output shape of one memory: the fields every agent relies on, others allowed. */
  static Map<String, Object> memory() {
    return object(
        List.of("id", "content", "category", "tags", "scope", "created_at"),
        props(
            "id", Map.of("type", "string"),
            "content", Map.of("type", "string"),
            "category", Map.of("type", "string"),
            "tags", Map.of("type", "array", "items", Map.of("type", "string")),
            "scope", Map.of("type", "string"),
            "state", Map.of("type", "string"),
            "created_at", Map.of("type", "string"),
            "updated_at", Map.of("type", "string"),
            "version", Map.of("type", "integer"),
            "confirmed", Map.of("type", "boolean"),
            "flag", Map.of("type", List.of("string", "null"))));
  }
}
