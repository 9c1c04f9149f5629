package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;

/**
 * What {@code POST /v1/hooks/{event}} answers: the JSON a Claude Code hook prints, for the JSON it
 * read. The hooks face supplies it (the daemon wires {@code dev.omem.hooks.HookHandler}); this
 * package knows only its shape.
 */
@FunctionalInterface
public interface HookResponder {
  /**
   * The remote server a hook's memories are on ({@code OMEM_API_URL} and {@code OMEM_API_KEY} of
   * the hook's environment, sent by the hook script in {@link #URL_HEADER} and {@link
   * #KEY_HEADER}): the daemon reads the transcript here and talks to that server (issue 17).
   */
  record Server(String url, String apiKey) {
    @Override
    public String toString() {
      return "Server[url=" + url + ", apiKey=***]";
    }
  }

  String URL_HEADER = "X-Omem-Api-Url";
  String KEY_HEADER = "X-Omem-Api-Key";

  /**
   * @throws dev.omem.domain.OmemException of kind {@code NOT_FOUND} for an unknown event
   */
  Object answer(String event, Caller caller, JsonNode hookInput);

  /**
   * The answer for a hook whose memories are on {@code server} (null: the local store). A responder
   * that serves the local store only refuses a remote one.
   */
  default Object answer(String event, Caller caller, JsonNode hookInput, Server server) {
    if (server != null) {
      throw OmemException.invalid("this daemon serves hooks of the local store only");
    }
    return answer(event, caller, hookInput);
  }
}
