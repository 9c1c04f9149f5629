package dev.omem.hooks;

import java.util.Locale;
import java.util.Optional;

/** The Claude Code hook events omem answers, by their names in Claude Code's hook payloads. */
public enum HookEvent {
  SESSION_START("SessionStart"),
  USER_PROMPT_SUBMIT("UserPromptSubmit"),
  STOP("Stop"),
  PRE_COMPACT("PreCompact"),
  SESSION_END("SessionEnd");

  private final String wire;

  HookEvent(String wire) {
    this.wire = wire;
  }

  /** The name as Claude Code writes it ({@code hookEventName} of the answer). */
  public String wire() {
    return wire;
  }

  /** Whether the event captures the transcript (rather than injecting memories). */
  public boolean captures() {
    return this == STOP || this == PRE_COMPACT || this == SESSION_END;
  }

  /**
   * The event a name means: {@code SessionStart}, and also {@code sessionstart}, {@code
   * session-start} or {@code session_start}; empty for anything else.
   */
  public static Optional<HookEvent> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = fold(name);
    for (HookEvent e : values()) {
      if (fold(e.wire).equals(n)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static String fold(String s) {
    return s.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** The names, for messages: {@code SessionStart, UserPromptSubmit, ...}. */
  public static String names() {
    StringBuilder b = new StringBuilder();
    for (HookEvent e : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(e.wire);
    }
    return b.toString();
  }
}
