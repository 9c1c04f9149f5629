package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.wire.QueryParams;
import dev.omem.wire.WireJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A request as a route sees it: read in full on the servlet's thread (so a route may outlive the
 * servlet request after a timeout), with typed accessors that turn bad input into a {@code
 * validation_error} naming the field. The one exception is an import's raw upload ({@link
 * BodyLimit#rawUpload}), which the route reads as a stream.
 *
 * @param body the parsed JSON body; {@link MissingNode} when there is none
 * @param upload a raw upload's body, unread; null for every other request
 */
record ApiRequest(
    Caller caller,
    Map<String, String> pathParams,
    Map<String, String[]> query,
    Function<String, String> headers,
    JsonNode body,
    java.io.InputStream upload)
    implements QueryParams {

  String path(String name) {
    return pathParams.get(name);
  }

  String header(String name) {
    return headers.apply(name);
  }

  // ---- query parameters ----

  @Override
  public String param(String name) {
    String[] v = query.get(name);
    return v == null || v.length == 0 || v[0].isBlank() ? null : v[0].trim();
  }

  @Override
  public Integer intParam(String name) {
    String v = param(name);
    try {
      return v == null ? null : Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw OmemException.invalid(name + " must be an integer, got '" + v + "'");
    }
  }

  @Override
  public Double doubleParam(String name) {
    String v = param(name);
    try {
      return v == null ? null : Double.valueOf(v);
    } catch (NumberFormatException e) {
      throw OmemException.invalid(name + " must be a number, got '" + v + "'");
    }
  }

  @Override
  public boolean boolParam(String name) {
    String v = param(name);
    if (v == null || v.equalsIgnoreCase("false") || v.equals("0")) {
      return false;
    }
    if (v.equalsIgnoreCase("true") || v.equals("1")) {
      return true;
    }
    throw OmemException.invalid(name + " must be true or false, got '" + v + "'");
  }

  /** A comma-separated list parameter; null when absent. */
  @Override
  public List<String> listParam(String name) {
    String v = param(name);
    return v == null
        ? null
        : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public Instant timeParam(String name) {
    return time(name, param(name));
  }

  // ---- body fields ----

  /** The body as an object; a missing or non-object body is a validation error. */
  JsonNode object() {
    if (!body.isObject()) {
      throw OmemException.invalid("the request body must be a JSON object");
    }
    return body;
  }

  static String text(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw OmemException.invalid(field + " must be a string");
    }
    return n.asText();
  }

  static Double number(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw OmemException.invalid(field + " must be a number");
    }
    return n.asDouble();
  }

  static boolean bool(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw OmemException.invalid(field + " must be true or false");
    }
    return n.asBoolean();
  }

  static List<String> strings(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw OmemException.invalid(field + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw OmemException.invalid(field + " must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }

  static Instant time(String field, String value) {
    return WireJson.time(field, value);
  }
}
