package dev.omem.service;

import java.util.List;

/** Conversation messages to learn from; {@code mode} is {@code raw} or {@code smart}. */
public record IngestRequest(List<Message> messages, String mode) {

  /** One message: {@code role} is user, assistant or system. */
  public record Message(String role, String content) {}
}
