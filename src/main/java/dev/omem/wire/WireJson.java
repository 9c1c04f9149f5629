package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.omem.domain.OmemException;
import java.util.List;

/**
 * The one Jackson setup of the wire records: what the server reads is what the client wrote. Strict
 * about types (a number is never read as a string, nor a string as a number: ourmem's server
 * refuses both), lenient about unknown fields (clients of newer servers send more), nulls left out
 * when writing (an absent field takes the server's default).
 */
public final class WireJson {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private WireJson() {}

  /**
   * {@code body} bound to {@code type}; a value of the wrong type is a validation error naming the
   * field, as ourmem words it ({@code tags must be an array of strings}).
   */
  public static <T> T read(JsonNode body, Class<T> type) {
    if (body == null || !body.isObject()) {
      throw OmemException.invalid("the request body must be a JSON object");
    }
    try {
      return JSON.treeToValue(body, type);
    } catch (MismatchedInputException e) {
      throw OmemException.invalid(mismatch(e));
    } catch (JsonMappingException e) {
      throw OmemException.invalid("the request body does not fit: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw OmemException.invalid("the request body cannot be read: " + e.getMessage());
    }
  }

  /** An RFC 3339 time of a request, or null; anything else is a validation error naming it. */
  public static java.time.Instant time(String field, String value) {
    try {
      return value == null ? null : java.time.Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw OmemException.invalid(
          field + " must be an RFC 3339 time such as 2026-01-31T09:00:00Z, got '" + value + "'");
    }
  }

  /** A record as JSON, nulls left out. */
  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  /** A request body as bytes: a wire record, or a map whose null values are left out. */
  public static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  /** Any JSON (an answer) converted to {@code type}, e.g. a stats map. */
  public static <T> T convert(Object value, com.fasterxml.jackson.core.type.TypeReference<T> type) {
    return JSON.convertValue(value, type);
  }

  /** "facts[1]: text must be a string": the path, then what the target wanted. */
  private static String mismatch(MismatchedInputException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    StringBuilder prefix = new StringBuilder();
    String field = "the request body";
    for (int i = 0; i < path.size(); i++) {
      JsonMappingException.Reference r = path.get(i);
      boolean last = i == path.size() - 1;
      if (r.getFieldName() != null) {
        if (last || path.get(i + 1).getFieldName() != null) {
          field = r.getFieldName();
        } else {
          prefix.append(r.getFieldName());
        }
      } else if (r.getIndex() >= 0) {
        if (last) {
          field = prefix.append('[').append(r.getIndex()).append(']').toString();
          prefix.setLength(0);
        } else {
          prefix.append('[').append(r.getIndex()).append("]: ");
        }
      }
    }
    return prefix + field + " must be " + wanted(e.getTargetType());
  }

  private static String wanted(Class<?> target) {
    if (target == null) {
      return "of another type";
    }
    if (target == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class) {
      return "a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (List.class.isAssignableFrom(target)) {
      return "an array";
    }
    return "an object";
  }
}
