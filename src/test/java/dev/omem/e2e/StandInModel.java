package dev.omem.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A scripted stand-in for the Anthropic Messages API, enough for the real Claude Code CLI to run a
 * headless session against it with no account and no network: {@code POST /v1/messages} answered
 * with server-sent events ({@code message_start}, {@code content_block_start}, {@code
 * content_block_delta} with {@code text_delta} or {@code input_json_delta}, {@code
 * content_block_stop}, {@code message_delta} with the stop reason, {@code message_stop}) or with
 * one JSON message when the request does not ask for a stream; {@code count_tokens} answered with a
 * small count; anything else (the CLI's reachability probe of {@code GET /}) with 404.
 *
 * <p>Every request is recorded, with the session the CLI names in its {@code
 * X-Claude-Code-Session-Id} header, so a test can assert on what the model was shown. The {@link
 * Script} decides each reply by reading the request.
 */
final class StandInModel implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** One request the CLI made: method, path (with query), its session header, and JSON body. */
  record Request(String method, String path, String sessionId, JsonNode body) {
    boolean isMessages() {
      return "POST".equals(method) && path.startsWith("/v1/messages") && !isCountTokens();
    }

    boolean isCountTokens() {
      return path.startsWith("/v1/messages/count_tokens");
    }

    /** The names of the tools the request offers the model. */
    List<String> toolNames() {
      List<String> names = new ArrayList<>();
      body.path("tools").forEach(t -> names.add(t.path("name").asText()));
      return names;
    }

    /** Every piece of text the model is shown: system prompt, messages, tool results. */
    String allText() {
      StringBuilder sb = new StringBuilder();
      collectText(body.path("system"), sb);
      collectText(body.path("messages"), sb);
      return sb.toString();
    }

    /** The text of the last user message that carries text (not only tool results). */
    String lastUserText() {
      JsonNode messages = body.path("messages");
      for (int i = messages.size() - 1; i >= 0; i--) {
        JsonNode m = messages.get(i);
        if (!"user".equals(m.path("role").asText())) {
          continue;
        }
        String text = plainText(m.path("content"));
        if (!text.isBlank()) {
          return text;
        }
      }
      return "";
    }

    /** The tool results in the last user message (empty when it carries none). */
    List<JsonNode> lastToolResults() {
      JsonNode messages = body.path("messages");
      for (int i = messages.size() - 1; i >= 0; i--) {
        JsonNode m = messages.get(i);
        if ("assistant".equals(m.path("role").asText())) {
          return List.of();
        }
        if (!"user".equals(m.path("role").asText())) {
          continue; // the CLI interleaves "system" messages (agent and skill listings)
        }
        List<JsonNode> results = new ArrayList<>();
        m.path("content").forEach(b -> addIf(results, b, "tool_result"));
        return results;
      }
      return List.of();
    }

    /**
     * The text blocks (each stripped) of the user messages after the model's last reply: the prompt
     * it is to answer now, with whatever the CLI put next to it (reminders, hook context).
     */
    List<String> pendingUserTexts() {
      JsonNode messages = body.path("messages");
      List<String> texts = new ArrayList<>();
      for (int i = messages.size() - 1; i >= 0; i--) {
        JsonNode m = messages.get(i);
        String role = m.path("role").asText();
        if ("assistant".equals(role)) {
          break;
        }
        if (!"user".equals(role)) {
          continue;
        }
        JsonNode c = m.path("content");
        if (c.isTextual()) {
          texts.add(c.asText().strip());
        }
        c.forEach(
            b -> {
              if ("text".equals(b.path("type").asText())) {
                texts.add(b.path("text").asText().strip());
              }
            });
      }
      return texts;
    }

    /** The text of the first user message: the prompt, or a sub-agent's task. */
    String firstUserText() {
      for (JsonNode m : body.path("messages")) {
        if ("user".equals(m.path("role").asText())) {
          return plainText(m.path("content"));
        }
      }
      return "";
    }
  }

  /** What the model answers: content blocks and a stop reason. */
  record Reply(List<ObjectNode> blocks, String stopReason) {
    static Reply text(String text) {
      ObjectNode b = JSON.createObjectNode().put("type", "text").put("text", text);
      return new Reply(List.of(b), "end_turn");
    }

    static Reply toolUse(String id, String name, Map<String, ?> input) {
      ObjectNode b =
          JSON.createObjectNode().put("type", "tool_use").put("id", id).put("name", name);
      b.set("input", JSON.valueToTree(input));
      return new Reply(List.of(b), "tool_use");
    }
  }

  /** Decides the reply to one messages request. */
  interface Script extends Function<Request, Reply> {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Script script;
  private final List<Request> requests = new ArrayList<>();

  private StandInModel(Script script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  static StandInModel start(Script script) throws IOException {
    StandInModel model = new StandInModel(script);
    model.server.start();
    return model;
  }

  /** The value of {@code ANTHROPIC_BASE_URL}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A copy of the requests so far, oldest first. */
  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body =
          raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(new String(raw, UTF8));
      Request req =
          new Request(
              ex.getRequestMethod(),
              ex.getRequestURI().toString(),
              ex.getRequestHeaders().getFirst("X-Claude-Code-Session-Id"),
              body);
      synchronized (requests) {
        requests.add(req);
      }
      if (req.isCountTokens()) {
        sendJson(ex, JSON.createObjectNode().put("input_tokens", 10));
      } else if (req.isMessages()) {
        Reply reply;
        try {
          reply = script.apply(req);
        } catch (RuntimeException e) {
          e.printStackTrace();
          reply = Reply.text("stand-in script failed: " + e);
        }
        if (repeatsACall(req, reply)) {
          // A script that answers a tool result with the same call again would loop until the
          // test's time limit: end the turn instead, and let the test's assertions say what broke.
          reply = Reply.text("(stand-in: tool call repeated, turn ended)");
        }
        if (body.path("stream").asBoolean(false)) {
          stream(ex, body, reply);
        } else {
          sendJson(ex, message(body, reply));
        }
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    } catch (IOException | RuntimeException e) {
      e.printStackTrace(); // the CLI hung up, or the script broke: the test's assertions say more
    }
  }

  private static boolean repeatsACall(Request req, Reply reply) {
    for (ObjectNode block : reply.blocks()) {
      String id = block.path("id").asText("");
      if (!id.isEmpty()) {
        for (JsonNode m : req.body().path("messages")) {
          for (JsonNode b : m.path("content")) {
            if ("tool_use".equals(b.path("type").asText()) && id.equals(b.path("id").asText())) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static ObjectNode message(JsonNode request, Reply reply) {
    ObjectNode m = messageHead(request);
    ArrayNode content = m.putArray("content");
    reply.blocks().forEach(content::add);
    m.put("stop_reason", reply.stopReason());
    m.set("usage", usage(10, 5));
    return m;
  }

  private static ObjectNode messageHead(JsonNode request) {
    ObjectNode m = JSON.createObjectNode();
    m.put("id", "msg_standin");
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", request.path("model").asText("stand-in"));
    m.putArray("content");
    m.putNull("stop_reason");
    m.putNull("stop_sequence");
    m.set("usage", usage(10, 1));
    return m;
  }

  private static ObjectNode usage(int in, int out) {
    return JSON.createObjectNode().put("input_tokens", in).put("output_tokens", out);
  }

  private static void stream(HttpExchange ex, JsonNode request, Reply reply) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    ObjectNode start = JSON.createObjectNode().put("type", "message_start");
    start.set("message", messageHead(request));
    event(out, start);
    int index = 0;
    for (ObjectNode block : reply.blocks()) {
      ObjectNode first = block.deepCopy();
      ObjectNode delta = JSON.createObjectNode();
      if ("tool_use".equals(block.path("type").asText())) {
        first.set("input", JSON.createObjectNode());
        delta.put("type", "input_json_delta").put("partial_json", block.get("input").toString());
      } else {
        first.put("text", "");
        delta.put("type", "text_delta").put("text", block.path("text").asText());
      }
      ObjectNode cbStart = JSON.createObjectNode().put("type", "content_block_start");
      cbStart.put("index", index).set("content_block", first);
      event(out, cbStart);
      ObjectNode cbDelta = JSON.createObjectNode().put("type", "content_block_delta");
      cbDelta.put("index", index).set("delta", delta);
      event(out, cbDelta);
      event(out, JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
      index++;
    }
    ObjectNode md = JSON.createObjectNode().put("type", "message_delta");
    md.set(
        "delta",
        JSON.createObjectNode().put("stop_reason", reply.stopReason()).putNull("stop_sequence"));
    md.set("usage", JSON.createObjectNode().put("output_tokens", 5));
    event(out, md);
    event(out, JSON.createObjectNode().put("type", "message_stop"));
    out.flush();
  }

  private static void event(OutputStream out, ObjectNode data) throws IOException {
    String frame = "event: " + data.get("type").asText() + "\ndata: " + data + "\n\n";
    out.write(frame.getBytes(UTF8));
    out.flush();
  }

  private static void sendJson(HttpExchange ex, JsonNode json) throws IOException {
    byte[] bytes = json.toString().getBytes(UTF8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void collectText(JsonNode node, StringBuilder sb) {
    if (node.isTextual()) {
      sb.append(node.asText()).append('\n');
    } else if (node.isArray()) {
      node.forEach(n -> collectText(n, sb));
    } else if (node.isObject()) {
      collectText(node.path("text"), sb);
      collectText(node.path("content"), sb);
    }
  }

  private static String plainText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    content.forEach(
        b -> {
          if ("text".equals(b.path("type").asText())) {
            sb.append(b.path("text").asText()).append('\n');
          }
        });
    return sb.toString();
  }

  private static void addIf(List<JsonNode> out, JsonNode block, String type) {
    if (type.equals(block.path("type").asText())) {
      out.add(block);
    }
  }
}
