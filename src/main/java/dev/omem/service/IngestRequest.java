package dev.omem.service;

import dev.omem.domain.ChatModel;
import java.util.List;

/**
 * Conversation messages to learn from; {@code mode} is {@code raw} or {@code smart}.
 *
 * @param clientModel the connected MCP client's own model (sampling) to extract with, or null; it
 *     is used only during this call, never stored
 */
public record IngestRequest(List<Message> messages, String mode, ChatModel clientModel) {

  public IngestRequest(List<Message> messages, String mode) {
    this(messages, mode, null);
  }

  /** One message: {@code role} is user, assistant or system. */
  public record Message(String role, String content) {}
}
