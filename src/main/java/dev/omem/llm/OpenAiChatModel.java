package dev.omem.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model behind the OpenAI chat completions API: {@code POST {base}/chat/completions} with {@code
 * Authorization: Bearer <key>} (no header when no key is configured, for local servers).
 *
 * <p>The request asks for {@code temperature: 0} (the same conversation should give the same facts)
 * and {@code response_format: {"type": "json_object"}}: every prompt omem sends asks for one JSON
 * object (and says "JSON", which OpenAI requires in JSON mode). The answer is {@code
 * choices[0].message.content}; {@code usage.prompt_tokens} and {@code usage.completion_tokens} go
 * to the budget.
 */
public final class OpenAiChatModel implements MeteredChatModel {
  private final LlmSettings settings;
  private final LlmHttp http;

  public OpenAiChatModel(LlmSettings settings) {
    if (settings.provider() != LlmProvider.OPENAI) {
      throw new IllegalArgumentException("not openai settings: " + settings);
    }
    this.settings = settings;
    this.http = new LlmHttp(settings);
  }

  @Override
  public Completion call(String system, String user, int maxTokens) {
    ObjectNode body = LlmHttp.JSON.createObjectNode();
    body.put("model", settings.model());
    ObjectNode sys = body.putArray("messages").addObject();
    sys.put("role", "system").put("content", system);
    body.withArray("messages").addObject().put("role", "user").put("content", user);
    body.put("max_tokens", maxTokens);
    body.put("temperature", 0);
    body.putObject("response_format").put("type", "json_object");
    Map<String, String> headers = new LinkedHashMap<>();
    if (settings.apiKey() != null) {
      headers.put("Authorization", "Bearer " + settings.apiKey());
    }
    JsonNode answer = http.post("/chat/completions", headers, body);
    JsonNode content = answer.path("choices").path(0).path("message").path("content");
    if (!content.isTextual()) {
      throw new LlmException(200, "openai answered without choices[0].message.content");
    }
    return new Completion(
        content.asText(),
        Completion.Usage.read(answer.path("usage"), "prompt_tokens", "completion_tokens"));
  }
}
