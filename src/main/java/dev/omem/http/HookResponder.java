package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.service.Caller;

/**
 * What {@code POST /v1/hooks/{event}} answers: the JSON a Claude Code hook prints, for the JSON it
 * read. The hooks face supplies it (the daemon wires {@code dev.omem.hooks.HookHandler}); this
 * package knows only its shape.
 */
@FunctionalInterface
public interface HookResponder {
  /**
   * @throws dev.omem.domain.OmemException of kind {@code NOT_FOUND} for an unknown event
   */
  Object answer(String event, Caller caller, JsonNode hookInput);
}
