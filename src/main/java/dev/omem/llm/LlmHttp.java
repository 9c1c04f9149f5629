package dev.omem.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One JSON POST to a provider, shared by both wire formats: the timeouts of {@link LlmSettings},
 * the answer parsed as JSON, and every failure turned into an {@link LlmException} whose message is
 * safe to log (status and the provider's error message, never the prompt, answer or key).
 *
 * <p>Nothing is retried here: okhttp's silent retry on a failed connection is off, so each request
 * the caller makes is at most one request the provider bills. The callers ({@code LlmExtractor},
 * {@code LlmReconcileJudge}) retry once on their own terms.
 */
final class LlmHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Answers larger than this are refused. An answer is at most a few thousand tokens (~16 KB of
   * text) in a small JSON envelope; 1 MiB only guards against a misbehaving server.
   */
  static final long MAX_ANSWER_BYTES = 1024 * 1024;

  /** Provider error messages are cut here: one line in a log, not a page. */
  static final int MAX_ERROR_CHARS = 300;

  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final String USER_AGENT =
      "omem/"
          + Optional.ofNullable(LlmHttp.class.getPackage().getImplementationVersion())
              .orElse("dev");

  private final LlmSettings settings;
  private final OkHttpClient client;

  LlmHttp(LlmSettings settings) {
    this.settings = settings;
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(settings.timeout())
            .readTimeout(settings.timeout())
            .writeTimeout(settings.timeout())
            .callTimeout(settings.timeout())
            .retryOnConnectionFailure(false)
            .build();
  }

  /** POSTs {@code body} to {@code baseUrl + path} with {@code headers}; the answer's JSON. */
  JsonNode post(String path, Map<String, String> headers, JsonNode body) {
    String name = settings.provider().wire();
    Request.Builder request =
        new Request.Builder()
            .url(settings.baseUrl() + path)
            .header("User-Agent", USER_AGENT)
            .post(RequestBody.create(body.toString(), JSON_TYPE));
    headers.forEach(request::header);
    try (Response response = client.newCall(request.build()).execute()) {
      String text = read(response.body(), name, response.code());
      if (!response.isSuccessful()) {
        throw new LlmException(
            response.code(),
            name
                + " answered HTTP "
                + response.code()
                + errorMessage(text).map(m -> ": " + m).orElse(""));
      }
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        // Not Jackson's message: it quotes the answer.
        throw new LlmException(response.code(), name + " answered with something other than JSON");
      }
    } catch (InterruptedIOException e) {
      throw new LlmException(
          0, name + " did not answer within " + settings.timeout().toMillis() + " ms", e);
    } catch (IOException e) {
      throw new LlmException(
          0, name + " is unreachable at " + settings.baseUrl() + ": " + scrub(e.getMessage()), e);
    }
  }

  private static String read(ResponseBody body, String name, int status) throws IOException {
    if (body == null) {
      return "";
    }
    BufferedSource source = body.source();
    if (source.request(MAX_ANSWER_BYTES + 1)) {
      throw new LlmException(
          status, name + " answered with more than " + MAX_ANSWER_BYTES + " bytes");
    }
    return source.readString(StandardCharsets.UTF_8);
  }

  /**
   * The provider's own error message: {@code error.message} in both OpenAI's and Anthropic's
   * envelope, or {@code error} as a string (Ollama). Other bodies (an HTML page of a proxy) are not
   * quoted.
   */
  private Optional<String> errorMessage(String text) {
    JsonNode error;
    try {
      error = JSON.readTree(text).path("error");
    } catch (IOException e) {
      return Optional.empty();
    }
    String m = error.isTextual() ? error.asText() : error.path("message").asText("");
    if (m.isBlank()) {
      return Optional.empty();
    }
    m = scrub(m.strip().replaceAll("\\s+", " "));
    return Optional.of(m.length() > MAX_ERROR_CHARS ? m.substring(0, MAX_ERROR_CHARS) + "…" : m);
  }

  /** Removes the key, should a provider or a proxy quote it back. */
  private String scrub(String message) {
    if (message == null) {
      return "";
    }
    String key = settings.apiKey();
    return key == null || key.isEmpty() ? message : message.replace(key, "***");
  }
}
