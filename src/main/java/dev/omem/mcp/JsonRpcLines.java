package dev.omem.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of stdin checked before the MCP session sees it, so that every line that is not a JSON-RPC
 * message gets JSON-RPC's own answer instead of silence (the client would wait for its own
 * timeout): -32700 for a line that is not JSON, -32600 for JSON that is not a request, with the
 * request's id when it can be found, else {@code null} as JSON-RPC 2.0 prescribes.
 */
final class JsonRpcLines {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int INTERNAL_ERROR = -32603;

  /**
   * Nesting a request may have: MCP arguments are a few levels deep (tool → arguments → messages →
   * message); 64 leaves room and keeps a hostile 100,000-level line from costing a deep parse.
   */
  static final int MAX_DEPTH = 64;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
  }

  /** The first {@code "id": value} of a line, for lines that do not parse (lenient). */
  private static final Pattern ID =
      Pattern.compile(
          "\"id\"\\s{0,20}+:\\s{0,20}+(-?\\d{1,18}+(?![\\d.eE])|\"(?:[^\"\\\\]|\\\\.){0,256}+\")");

  /** A refusal to send back: the id (null when unknown), JSON-RPC's code and a message. */
  record Refusal(Object id, int code, String message) {
    byte[] json() {
      ObjectNode answer = MAPPER.createObjectNode().put("jsonrpc", "2.0");
      answer.set("id", MAPPER.valueToTree(id));
      answer.putObject("error").put("code", code).put("message", message);
      try {
        return MAPPER.writeValueAsBytes(answer);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A line that passed: the text to hand to the SDK (a leading BOM removed). */
  record Checked(String text, Refusal refusal) {}

  private JsonRpcLines() {}

  /** The answer to a line over the size limit. */
  static Refusal tooLong(StdioLines.Line line, int limit) {
    return new Refusal(
        lenientId(line.text()),
        INVALID_REQUEST,
        "message is " + line.bytes() + " bytes; the limit for one line is " + limit + " bytes");
  }

  static Checked check(String raw) {
    // A byte order mark is what some Windows tools write first; it is not part of the JSON.
    String text = raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage();
      why = why.length() > 200 ? why.substring(0, 200) + "…" : why;
      return refused(lenientId(text), PARSE_ERROR, "Parse error: the line is not JSON: " + why);
    }
    if (node == null || !node.isObject()) {
      return refused(null, INVALID_REQUEST, "Invalid Request: a message must be a JSON object");
    }
    JsonNode id = node.get("id");
    Object idValue = null;
    if (id != null && !id.isNull()) {
      if (id.isTextual()) {
        idValue = id.asText();
      } else if (id.isIntegralNumber() && id.canConvertToLong()) {
        idValue = id.asLong();
      } else {
        return refused(null, INVALID_REQUEST, "Invalid Request: id must be a string or an integer");
      }
    }
    if (!"2.0".equals(node.path("jsonrpc").asText(null))) {
      return refused(idValue, INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
    }
    boolean response = node.has("result") || node.has("error");
    JsonNode method = node.get("method");
    if (!response && (method == null || !method.isTextual())) {
      return refused(idValue, INVALID_REQUEST, "Invalid Request: method must be a string");
    }
    JsonNode params = node.get("params");
    if (params != null && !params.isNull() && !params.isObject()) {
      return refused(idValue, INVALID_REQUEST, "Invalid Request: params must be an object");
    }
    return new Checked(text, null);
  }

  private static Checked refused(Object id, int code, String message) {
    return new Checked(null, new Refusal(id, code, message));
  }

  /** The id a broken line names, when one can be read; null otherwise. */
  static Object lenientId(String text) {
    Matcher m = ID.matcher(text);
    if (!m.find()) {
      return null;
    }
    String v = m.group(1);
    try {
      return v.startsWith("\"") ? MAPPER.readValue(v, String.class) : Long.parseLong(v);
    } catch (JsonProcessingException | NumberFormatException e) {
      return null;
    }
  }
}
