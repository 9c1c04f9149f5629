package dev.omem.ingest;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The old value a change of mind names: "use X <b>instead of Y</b>", "<b>rather than Y</b>",
 * "switched <b>from Y</b> to X", "<b>replace Y</b> with X", "<b>rename Y</b> to X". A stored fact
 * holding every content word of Y is the one the change replaces: the named value marks the slot
 * (package manager, prompt library, command name) more surely than the whole sentence's cosine,
 * which a long request dilutes. English grammar of change, not a list of topics.
 */
final class ReplacedValue {
  // Y: up to 40 characters, ended by punctuation before a space or the end (a dot inside a name,
  // "main.yml" or "Fly.io", ends nothing), the end, or a word that starts another clause.
  private static final String STOP = "[,.;:!?)](?:\\s|$)";

  private static final String END =
      "(?=\\s*" + STOP + "|\\s*$|\\s+(?:for|in|on|and|because|when|so|since|as|from now)\\b)";
  private static final Pattern[] PATTERNS = {
    Pattern.compile("(?i)\\b(?:instead of|rather than|in place of)\\s+(.{1,40}?)" + END),
    Pattern.compile(
        "(?i)\\b(?:switch(?:ed|ing)?|mov(?:e|ed|ing)|migrat(?:e|ed|ing)|chang(?:e|ed|ing))"
            + "\\s+(?:\\w+\\s+)?from\\s+(.{1,40}?)(?=\\s+to\\b|\\s*"
            + STOP
            + "|\\s*$)"),
    Pattern.compile(
        "(?i)\\b(?:replac(?:e|ed|ing)|renam(?:e|ed|ing))\\s+(.{1,40}?)\\s+(?:with|by|to)\\b")
  };

  private ReplacedValue() {}

  /** The content words of the old value {@code text} names as replaced, if it names one. */
  static Optional<Set<String>> of(String text) {
    for (Pattern p : PATTERNS) {
      Matcher m = p.matcher(text);
      if (m.find()) {
        Set<String> words = FactText.contentWords(m.group(1));
        if (!words.isEmpty()) {
          return Optional.of(words);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a stored text, by its {@link FactText#contentWords}, holds every word of the replaced
   * value {@code old}.
   */
  static boolean heldBy(Set<String> old, Set<String> storedWords) {
    return storedWords.containsAll(old);
  }
}
