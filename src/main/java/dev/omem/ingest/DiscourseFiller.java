package dev.omem.ingest;

import java.util.regex.Pattern;

/**
 * Removes greetings, thanks and interjections from the front of a sentence ("Hi!", "ok so",
 * "yes,"): words that are no clause of their own. A lead-in clause ("Quick thing before we start:",
 * "Change of plan:") is not removed here: {@link ClauseSplitter} cuts it off and the classifier
 * drops it because it scores low ({@link LearnedExtractor}). "Actually" stays, because it marks a
 * changed mind for reconciliation.
 */
public final class DiscourseFiller {
  // Interjections and greetings at the front, each followed by punctuation or a space.
  private static final Pattern LEADING =
      Pattern.compile(
          "^(?i:(?:hi|hello|hey|heya|thanks|thank you|thx|ok(?:ay)?|so|well|also|and|but|yes|yeah"
              + "|yep|yup|sure|great|perfect|cool|nice|alright|all right|oh|btw|by the way|hmm|"
              + "please note|note|update|fyi|one more thing|good|awesome|looks good|looks perfect)"
              + "(?:\\s+(?:there|again|so|then|now))?)(?:[,!.:\\-–—]+\\s*|\\s+)");

  private DiscourseFiller() {}

  /** {@code sentence} without its leading filler; empty when it was nothing but filler. */
  public static String strip(String sentence) {
    String s = sentence.strip();
    for (int i = 0; i < 4; i++) {
      String before = s;
      s = LEADING.matcher(s).replaceFirst("");
      if (s.equals(before)) {
        break;
      }
    }
    s = s.strip();
    if (isOnlyFiller(s)) {
      return "";
    }
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static final Pattern ONLY =
      Pattern.compile(
          "(?i)^(?:hi|hello|hey|thanks|thank you|thx|ok(?:ay)?|yes|yeah|yep|no|nope|sure|great"
              + "|perfect|cool|nice|alright|good|awesome|done|lgtm|looks good|sounds good|looks perfect)"
              + "(?:\\s+\\w+)?[\\s!.,:)]*$");

  private static boolean isOnlyFiller(String s) {
    return s.isEmpty() || ONLY.matcher(s).matches() || s.chars().noneMatch(Character::isLetter);
  }
}
