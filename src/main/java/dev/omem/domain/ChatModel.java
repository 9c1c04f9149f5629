package dev.omem.domain;

/**
 * A language model that answers one prompt: an LLM provider configured for omem, or the connected
 * MCP client's own model (sampling). Extraction and reconciliation use it; they never know which.
 */
@FunctionalInterface
public interface ChatModel {
  /**
   * The model's text answer to {@code user} under the instructions in {@code system}, at most
   * {@code maxTokens} long. Throws a {@link RuntimeException} (a timeout, an HTTP error, a refused
   * sampling request, the cost cap reached) when there is no answer; callers fall back to rules.
   */
  String complete(String system, String user, int maxTokens);
}
