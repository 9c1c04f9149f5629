package dev.omem.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A model behind Anthropic's Messages API: {@code POST {base}/v1/messages} with {@code x-api-key}
 * and {@code anthropic-version: 2023-06-01} (the API's current and only stable version).
 *
 * <p>The body is {@code {model, max_tokens, system, messages: [{role: user, content}], temperature:
 * 0}} (the same conversation should give the same facts). The answer is the first {@code content}
 * block of type {@code text}; {@code usage.input_tokens} and {@code usage.output_tokens} go to the
 * budget.
 */
public final class AnthropicChatModel implements MeteredChatModel {
  /** The {@code anthropic-version} header: the Messages API's stable version. */
  public static final String API_VERSION = "2023-06-01";

  private final LlmSettings settings;
  private final LlmHttp http;

  public AnthropicChatModel(LlmSettings settings) {
    if (settings.provider() != LlmProvider.ANTHROPIC) {
      throw new IllegalArgumentException("not anthropic settings: " + settings);
    }
    if (settings.apiKey() == null) {
      throw new IllegalArgumentException("the Anthropic API needs a key: " + settings);
    }
    this.settings = settings;
    this.http = new LlmHttp(settings);
  }

  @Override
  public Completion call(String system, String user, int maxTokens) {
    ObjectNode body = LlmHttp.JSON.createObjectNode();
    body.put("model", settings.model());
    body.put("max_tokens", maxTokens);
    body.put("system", system);
    body.putArray("messages").addObject().put("role", "user").put("content", user);
    body.put("temperature", 0);
    JsonNode answer =
        http.post(
            "/v1/messages",
            Map.of("x-api-key", settings.apiKey(), "anthropic-version", API_VERSION),
            body);
    String text = null;
    for (JsonNode block : answer.path("content")) {
      if ("text".equals(block.path("type").asText()) && block.path("text").isTextual()) {
        text = block.path("text").asText();
        break;
      }
    }
    if (text == null) {
      throw new LlmException(200, "anthropic answered without a text content block");
    }
    return new Completion(
        text, Completion.Usage.read(answer.path("usage"), "input_tokens", "output_tokens"));
  }
}
