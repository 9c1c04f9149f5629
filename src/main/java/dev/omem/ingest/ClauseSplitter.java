package dev.omem.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts one sentence into clauses where both sides stand alone: at a colon ("Change of plan: I now
 * use bun"), and before " and ", " but ", " so " ("use soft deletes and add the endpoint"). Which
 * clauses are kept is not decided here: {@link LearnedExtractor} scores each clause with the
 * classifier and keeps a sentence trimmed to its durable clauses, so that a lead-in such as "Quick
 * thing before we start" goes because it scores low, not because a list names it.
 */
public final class ClauseSplitter {
  /**
   * The fewest words on each side of a cut: a side shorter than this is rarely a clause of its own
   * ("Stack: Phoenix", "pnpm and npm"). A structural rule fixed before any fit, not tuned.
   */
  static final int MIN_WORDS = 3;

  private static final Pattern CUT =
      Pattern.compile("(?::|,?\\s+(?i:and|but|so))\\s+(?=\\S)", Pattern.UNICODE_CHARACTER_CLASS);

  private ClauseSplitter() {}

  /** One clause: its place in the sentence, {@code [from, to)}. */
  public record Span(int from, int to) {}

  /** The clauses of {@code sentence}, in order; the whole sentence when it has no cut. */
  public static List<Span> split(String sentence) {
    List<Span> out = new ArrayList<>();
    Matcher m = CUT.matcher(sentence);
    int from = 0;
    while (m.find()) {
      if (words(sentence.substring(from, m.start())) >= MIN_WORDS
          && words(sentence.substring(m.end())) >= MIN_WORDS
          && !insideCode(sentence, m.start())) {
        out.add(new Span(from, m.start()));
        from = m.end();
      }
    }
    out.add(new Span(from, sentence.length()));
    return out;
  }

  /**
   * The text of {@code sentence} from {@code from} to {@code to} (a clause, or a run of clauses cut
   * by {@link #split}): the sentence's own words between them, first letter upper-cased.
   */
  public static String text(String sentence, int from, int to) {
    String t = sentence.substring(from, to).strip();
    while (t.endsWith(",")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    return t.isEmpty() ? t : t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
  }

  /** Whether {@code at} falls inside a `code` span (an odd number of backticks before it). */
  private static boolean insideCode(String s, int at) {
    long ticks = s.substring(0, at).chars().filter(c -> c == '`').count();
    return ticks % 2 == 1;
  }

  private static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
