package dev.omem.service;

import dev.omem.domain.ChatModel;
import java.util.List;

/**
 * Conversation messages to learn from; {@code mode} is {@code raw} or {@code smart}.
 *
 * @param clientModel the connected MCP client's own model (sampling) to extract with, or null; it
 *     is used only during this call, never stored
 * @param facts facts already extracted from these messages by the caller (smart mode only), or null
 *     to let the service extract them. The thin client of the daemon sends them: the client's model
 *     is reachable only in the process that holds the MCP session, so that process extracts and the
 *     daemon stores (docs/rest-api.md, the {@code facts} extension). An empty list means "nothing
 *     worth keeping"
 */
public record IngestRequest(
    List<Message> messages, String mode, ChatModel clientModel, List<Fact> facts) {

  public IngestRequest(List<Message> messages, String mode) {
    this(messages, mode, null, null);
  }

  public IngestRequest(List<Message> messages, String mode, ChatModel clientModel) {
    this(messages, mode, clientModel, null);
  }

  /** One message: {@code role} is user, assistant or system. */
  public record Message(String role, String content) {}

  /**
   * One fact the caller extracted, as sent: the service checks it like any other input (text size
   * and redaction, {@code category} among the six wire names, tags, importance and confidence in
   * [0, 1], both 0.5 when absent).
   */
  public record Fact(
      String text, String category, List<String> tags, Double importance, Double confidence) {}
}
