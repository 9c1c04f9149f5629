package dev.omem.ingest;

import java.util.regex.Pattern;

/**
 * Removes what only steers the conversation from the front of a sentence: greetings, thanks and
 * interjections ("Hi!", "ok so", "yes,"), and a short lead-in ending in a colon ("Quick thing
 * before we start:", "Change of plan:"). The user's own words are otherwise kept: the rest of the
 * sentence is what gets stored. "Actually" stays, because it marks a changed mind for
 * reconciliation.
 */
public final class DiscourseFiller {
  // Interjections and greetings at the front, each followed by punctuation or a space.
  private static final Pattern LEADING =
      Pattern.compile(
          "^(?i:(?:hi|hello|hey|heya|thanks|thank you|thx|ok(?:ay)?|so|well|also|and|but|yes|yeah"
              + "|yep|yup|sure|great|perfect|cool|nice|alright|all right|oh|btw|by the way|hmm|"
              + "please note|note|update|fyi|one more thing|good|awesome|looks good|looks perfect)"
              + "(?:\\s+(?:there|again|so|then|now))?)(?:[,!.:\\-–—]+\\s*|\\s+)");

  // A lead-in: two to five words, then a colon and a clause of four words or more. One word
  // before a colon is more often a label that belongs to the fact ("Stack: Phoenix 1.8").
  private static final Pattern LEAD_IN = Pattern.compile("^[\\p{L}' ]{1,40}?:\\s+(?=\\S)");

  private DiscourseFiller() {}

  /**
   * {@code sentence} without its leading interjections and its lead-in before a colon; empty when
   * it was nothing but filler.
   */
  public static String strip(String sentence) {
    String s = sentence.strip();
    for (int i = 0; i < 4; i++) {
      String before = s;
      s = LEADING.matcher(s).replaceFirst("");
      java.util.regex.Matcher m = LEAD_IN.matcher(s);
      if (m.find()
          && words(m.group()) >= 2
          && words(m.group()) <= 5
          && words(s.substring(m.end())) >= 4) {
        s = s.substring(m.end());
      }
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

  private static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
