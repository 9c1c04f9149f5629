package dev.omem.hooks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON a hook prints: {@code {}} (nothing to add, the normal answer) or {@code
 * {"hookSpecificOutput": {"hookEventName", "additionalContext"}}}.
 */
final class HookAnswer {
  /** Nothing to add. */
  static final Map<String, Object> NOTHING = Map.of();

  private HookAnswer() {}

  /** Text the agent gets as context for {@code event}. */
  static Map<String, Object> context(HookEvent event, String text) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("hookEventName", event.wire());
    inner.put("additionalContext", text);
    return Map.of("hookSpecificOutput", inner);
  }
}
