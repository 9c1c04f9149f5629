package dev.omem.portable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.omem.domain.OmemException;

/**
 * The JSON of the file formats: maps written with sorted keys (so that an export of the same
 * memories is the same text, whatever order a map happened to have) and indented for people.
 */
final class PortableJson {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private PortableJson() {}

  /** The file as one JSON value; text that is not JSON is a validation error of the whole file. */
  static JsonNode parse(String text, String what) {
    try {
      JsonNode n = JSON.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw OmemException.invalid("the " + what + " file is empty");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw OmemException.invalid(
          "the " + what + " file is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** A text field, or null when absent or null; any other kind is an error naming the field. */
  static String text(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return n.asText();
  }
}
