package dev.omem.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which user turns are substantive statements worth keeping as raw session memories: not
 * greetings, thanks or acknowledgements, not questions or requests to the agent, not tool output
 * pasted back.
 */
public final class RawTurnFilter {
  /** Fewer words than this is chatter ("ok", "sounds good", "do it"). */
  private static final int MIN_WORDS = 4;

  private static final Pattern CHATTER =
      Pattern.compile(
          "^(hi|hello|hey|thanks|thank you|thx|ok|okay|sure|yes|no|yep|nope|great|cool|nice|"
              + "perfect|sounds good|lgtm|got it|good morning|good night|bye)\\b.{0,40}$");

  private static final Pattern REQUEST =
      Pattern.compile(
          "^(can|could|would|will|please|pls|help|show|tell|explain|what|why|how|where|when|"
              + "which|who|is|are|does|do|run|fix|make|write|add|create|list)\\b");

  private RawTurnFilter() {}

  public static boolean isSubstantive(String text) {
    if (text == null) {
      return false;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.split("\\s+").length < MIN_WORDS) {
      return false;
    }
    if (CHATTER.matcher(t).matches()) {
      return false;
    }
    if (t.endsWith("?") || REQUEST.matcher(t).find()) {
      return false;
    }
    // Pasted logs, stack traces and diffs: mostly symbols or many lines starting with markers.
    long letters = t.chars().filter(Character::isLetter).count();
    return letters >= t.length() / 2;
  }
}
