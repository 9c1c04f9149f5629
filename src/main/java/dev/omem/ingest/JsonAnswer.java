package dev.omem.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reading a model's JSON answer, shared by {@link LlmExtractor} and {@link LlmReconcileJudge}: one
 * JSON object and nothing after it, optionally inside a Markdown code fence ({@code ```json …
 * ```}), which models add even when told not to. Anything else is an {@link Invalid} answer.
 */
final class JsonAnswer {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader STRICT =
      JSON.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonAnswer() {}

  /**
   * Why an answer was refused. The reason describes the answer's shape only, never its text, so it
   * can be logged (model answers are not logged: they restate the user's words).
   */
  static final class Invalid extends Exception {
    Invalid(String reason) {
      super(reason);
    }
  }

  /** The JSON object of {@code answer}, its code fence (if any) removed. */
  static JsonNode object(String answer) throws Invalid {
    if (answer == null || answer.isBlank()) {
      throw new Invalid("the answer is empty");
    }
    String s = answer.strip();
    if (s.startsWith("```")) {
      int firstLine = s.indexOf('\n');
      int close = s.lastIndexOf("```");
      if (firstLine < 0 || close <= firstLine) {
        throw new Invalid("the answer's code fence is not closed");
      }
      s = s.substring(firstLine + 1, close);
    }
    JsonNode n;
    try {
      n = STRICT.readTree(s);
    } catch (JsonProcessingException e) {
      // Not Jackson's message: it quotes the answer.
      throw new Invalid("the answer is not one JSON value");
    }
    if (n == null || !n.isObject()) {
      throw new Invalid("the answer is not a JSON object");
    }
    return n;
  }

  /** {@code value} as a JSON string literal (quotes and control characters escaped). */
  static String quote(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
