package dev.omem.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.omem.llm.LlmProvider;
import dev.omem.llm.LlmSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for a paid LLM provider on {@code 127.0.0.1}, speaking both wire formats omem uses:
 * OpenAI chat completions ({@code POST …/chat/completions}, {@code Authorization: Bearer}) and
 * Anthropic Messages ({@code POST /v1/messages}, {@code x-api-key} and {@code anthropic-version}).
 * A wrong or missing key gets the provider's 401; any other path a 404.
 *
 * <p>Every request is recorded ({@link #requests()}), so a test can count calls or scan all the
 * text a model was shown. Answers come from a queue ({@link #enqueue}), else from a script of the
 * request ({@link #respondWith}), else a 500 saying nothing was scripted. A {@link Reply} is text
 * in the wire's success format (with usage), a provider error (500, 429, …), a raw body (garbage),
 * and may come after a delay (timeouts).
 *
 * <pre>{@code
 * try (StandInLlm llm = StandInLlm.start()) {
 *   llm.enqueue(StandInLlm.Reply.text("{\"facts\":[]}"));
 *   ChatModel m = ChatModels.from(llm.settings(LlmProvider.ANTHROPIC)).orElseThrow();
 *   ...
 *   assertEquals(1, llm.requestCount());
 * }
 * }</pre>
 */
public final class StandInLlm implements AutoCloseable {
  public static final String DEFAULT_KEY = "sk-stand-in-0123456789";
  public static final String MODEL = "stand-in-model";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The wire format of a request, from its path. */
  public enum Wire {
    OPENAI,
    ANTHROPIC
  }

  /**
   * One request as received.
   *
   * @param headers lower-case names
   * @param body the JSON body ({@code MissingNode} when it was not JSON)
   * @param authorized whether it carried the right key (and, for Anthropic, a version header)
   */
  public record Request(
      Wire wire, String path, Map<String, String> headers, JsonNode body, boolean authorized) {

    public String model() {
      return body.path("model").asText(null);
    }

    public int maxTokens() {
      return body.path("max_tokens").asInt(-1);
    }

    /** The system prompt: OpenAI's system message, Anthropic's {@code system}. */
    public String system() {
      if (wire == Wire.ANTHROPIC) {
        return body.path("system").asText("");
      }
      return message("system");
    }

    /** The (last) user message's content. */
    public String user() {
      return message("user");
    }

    /** Everything the model was shown: the system prompt and every message's content. */
    public String text() {
      StringBuilder sb = new StringBuilder(system());
      body.path("messages").forEach(m -> sb.append('\n').append(m.path("content").asText("")));
      return sb.toString();
    }

    private String message(String role) {
      String out = "";
      for (JsonNode m : body.path("messages")) {
        if (role.equals(m.path("role").asText())) {
          out = m.path("content").asText("");
        }
      }
      return out;
    }
  }

  /**
   * An answer. {@link #text} is a success in the request's wire format, with usage (by default the
   * prompt's and the text's characters / 4); {@link #error} the provider's error envelope; {@link
   * #raw} any body at all.
   */
  public record Reply(
      int status,
      String content,
      String rawBody,
      long inputTokens,
      long outputTokens,
      boolean reportUsage,
      Duration delay) {

    public static Reply text(String content) {
      return new Reply(200, content, null, -1, -1, true, Duration.ZERO);
    }

    /** The provider's error envelope with this status and message (500, 429, 401, …). */
    public static Reply error(int status, String message) {
      return new Reply(status, message, null, -1, -1, false, Duration.ZERO);
    }

    /** {@code body} as is, e.g. garbage, or JSON that is not the provider's format. */
    public static Reply raw(int status, String body) {
      return new Reply(status, null, body, -1, -1, false, Duration.ZERO);
    }

    public Reply withUsage(long input, long output) {
      return new Reply(status, content, rawBody, input, output, true, delay);
    }

    public Reply withoutUsage() {
      return new Reply(status, content, rawBody, -1, -1, false, delay);
    }

    public Reply after(Duration wait) {
      return new Reply(status, content, rawBody, inputTokens, outputTokens, reportUsage, wait);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String apiKey;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Reply> queue = new ArrayDeque<>();
  private final AtomicInteger ids = new AtomicInteger();
  private Function<Request, Reply> script;

  private StandInLlm(String apiKey) throws IOException {
    this.apiKey = apiKey;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A stand-in that expects {@link #DEFAULT_KEY}. */
  public static StandInLlm start() {
    return start(DEFAULT_KEY);
  }

  /** A stand-in that expects {@code apiKey}; null accepts requests without a key. */
  public static StandInLlm start(String apiKey) {
    try {
      return new StandInLlm(apiKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:port}: the base URL of both wire formats. */
  public URI baseUrl() {
    return URI.create(
        "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
  }

  public String apiKey() {
    return apiKey;
  }

  /** Settings pointing at this stand-in, with the default timeout and budget. */
  public LlmSettings settings(LlmProvider provider) {
    return new LlmSettings(
        provider,
        apiKey,
        baseUrl(),
        MODEL,
        LlmSettings.DEFAULT_TIMEOUT,
        LlmSettings.DEFAULT_MAX_TOKENS_PER_HOUR);
  }

  /** The {@code OMEM_LLM_*} variables that point omem at this stand-in ({@code provider}: wire). */
  public Map<String, String> env(LlmProvider provider) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(LlmSettings.PROVIDER_VARIABLE, provider.wire());
    env.put(LlmSettings.BASE_URL_VARIABLE, baseUrl().toString());
    env.put(LlmSettings.MODEL_VARIABLE, MODEL);
    if (apiKey != null) {
      env.put(LlmSettings.KEY_VARIABLE, apiKey);
    }
    return env;
  }

  /** Answers for the next requests, in order; they take precedence over the script. */
  public synchronized StandInLlm enqueue(Reply... replies) {
    queue.addAll(List.of(replies));
    return this;
  }

  /** Answers each request the queue does not, e.g. by reading {@link Request#user()}. */
  public synchronized StandInLlm respondWith(Function<Request, Reply> script) {
    this.script = script;
    return this;
  }

  /** Every request received so far, in order (unauthorised ones too). */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  public synchronized int requestCount() {
    return requests.size();
  }

  /** Forgets the recorded requests and the queued replies; the script stays. */
  public synchronized void reset() {
    requests.clear();
    queue.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      Wire wire =
          path.endsWith("/chat/completions")
              ? Wire.OPENAI
              : path.equals("/v1/messages") ? Wire.ANTHROPIC : null;
      if (wire == null || !"POST".equals(ex.getRequestMethod())) {
        send(ex, 404, "{\"error\":{\"message\":\"not found\"}}");
        return;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      JsonNode body;
      try {
        body = JSON.readTree(ex.getRequestBody());
      } catch (IOException e) {
        body = JSON.missingNode();
      }
      Request request = new Request(wire, path, headers, body, authorized(wire, headers));
      Reply reply;
      synchronized (this) {
        requests.add(request);
        reply =
            !request.authorized()
                ? Reply.error(401, "invalid x-api-key")
                : !queue.isEmpty()
                    ? queue.removeFirst()
                    : script != null
                        ? script.apply(request)
                        : Reply.error(500, "stand-in: no answer scripted");
      }
      if (!reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      send(ex, reply.status(), render(request, reply));
    } catch (IOException e) {
      // The client gave up (a timeout test): nothing to answer.
    }
  }

  private boolean authorized(Wire wire, Map<String, String> headers) {
    if (apiKey == null) {
      return true;
    }
    if (wire == Wire.OPENAI) {
      return ("Bearer " + apiKey).equals(headers.get("authorization"));
    }
    return apiKey.equals(headers.get("x-api-key")) && headers.containsKey("anthropic-version");
  }

  private String render(Request request, Reply reply) {
    if (reply.rawBody() != null) {
      return reply.rawBody();
    }
    ObjectNode out = JSON.createObjectNode();
    if (reply.status() >= 400) {
      ObjectNode error = out.putObject("error");
      if (request.wire() == Wire.ANTHROPIC) {
        out.put("type", "error");
        error.put("type", reply.status() == 429 ? "rate_limit_error" : "api_error");
        error.put("message", reply.content());
      } else {
        error.put("message", reply.content());
        error.put("type", reply.status() == 429 ? "rate_limit_exceeded" : "server_error");
        error.putNull("param");
        error.putNull("code");
      }
      return out.toString();
    }
    long in = reply.inputTokens() >= 0 ? reply.inputTokens() : request.text().length() / 4 + 1;
    long outTokens =
        reply.outputTokens() >= 0 ? reply.outputTokens() : reply.content().length() / 4 + 1;
    int n = ids.incrementAndGet();
    if (request.wire() == Wire.ANTHROPIC) {
      out.put("id", "msg_standin_" + n).put("type", "message").put("role", "assistant");
      out.put("model", request.model());
      out.putArray("content").addObject().put("type", "text").put("text", reply.content());
      out.put("stop_reason", "end_turn").putNull("stop_sequence");
      if (reply.reportUsage()) {
        out.putObject("usage").put("input_tokens", in).put("output_tokens", outTokens);
      }
    } else {
      out.put("id", "chatcmpl-standin-" + n).put("object", "chat.completion");
      out.put("created", System.currentTimeMillis() / 1000).put("model", request.model());
      ObjectNode choice = out.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", reply.content());
      choice.put("finish_reason", "stop");
      if (reply.reportUsage()) {
        out.putObject("usage")
            .put("prompt_tokens", in)
            .put("completion_tokens", outTokens)
            .put("total_tokens", in + outTokens);
      }
    }
    return out.toString();
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
