package dev.omem.retrieve;

import java.time.DayOfWeek;
import java.time.Month;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second retrieval for questions whose answer is spread over several memories (LoCoMo's multi-hop
 * category, issue 13): the names the best hits mention and the question does not (a person, a
 * place, a band) become a second query, and its hits are merged by rank after the first retrieval's
 * best {@link #KEEP}, alternately with the rest of the first ranking. No weight: the merge is by
 * place, as {@link TimeFocus} merges.
 *
 * <p>{@code OMEM_SECOND_HOP} = on, or off (default): an experiment of session 16 (BENCHMARKS.md).
 */
final class SecondHop {
  static final boolean ON =
      "on".equalsIgnoreCase(System.getenv().getOrDefault("OMEM_SECOND_HOP", "off"));

  /**
   * The first retrieval's places that stay as they are: half of the ten that LoCoMo's recall@10
   * reads, set before any run (not tuned), so that recall@5 and the first results cannot move.
   */
  static final int KEEP = 5;

  /** How many of the best hits are read for names (set before any run, not tuned). */
  static final int SOURCES = 3;

  // A run of capitalised words: "Matt Patterson", "Sweden", "Summer Sounds".
  private static final Pattern NAME =
      Pattern.compile("\\b\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}[\\p{L}'’-]+)*");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Set<String> CALENDAR = calendar();

  private SecondHop() {}

  /**
   * The names in {@code texts} that {@code question} does not say, each once, in order: a
   * capitalised word that opens no sentence, labels no speaker ("Caroline:"), and names no month or
   * weekday. Empty when there is none.
   */
  static List<String> names(String question, List<String> texts) {
    Set<String> asked = words(question);
    Set<String> out = new LinkedHashSet<>();
    for (String t : texts) {
      Matcher m = NAME.matcher(t);
      while (m.find()) {
        if (opensSentence(t, m.start()) || labelsSpeaker(t, m.end())) {
          continue;
        }
        List<String> kept = new ArrayList<>();
        for (String w : m.group().split("\\s+")) {
          String k = w.toLowerCase(Locale.ROOT).replaceAll("['’]s$", "");
          if (!asked.contains(k) && !CALENDAR.contains(k) && !k.equals("i")) {
            kept.add(w);
          }
        }
        if (!kept.isEmpty()) {
          out.add(String.join(" ", kept));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The first ranking's best {@link #KEEP}, then the second's and the first's next candidates in
   * turn (each once), then what is left of either.
   */
  static List<Candidate> merge(List<Candidate> first, List<Candidate> second) {
    List<Candidate> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (; i < Math.min(KEEP, first.size()); i++) {
      add(first.get(i), out, seen);
    }
    int j = 0;
    while (i < first.size() || j < second.size()) {
      while (j < second.size() && !add(second.get(j++), out, seen)) {
        // already placed: take the next
      }
      while (i < first.size() && !add(first.get(i++), out, seen)) {
        // already placed: take the next
      }
    }
    return out;
  }

  private static boolean add(Candidate c, List<Candidate> out, Set<String> seen) {
    if (!seen.add(c.id)) {
      return false;
    }
    out.add(c);
    return true;
  }

  private static boolean opensSentence(String t, int at) {
    int k = at - 1;
    while (k >= 0 && Character.isWhitespace(t.charAt(k))) {
      k--;
    }
    return k < 0 || ".!?:;(\"“[".indexOf(t.charAt(k)) >= 0;
  }

  private static boolean labelsSpeaker(String t, int end) {
    return end < t.length() && t.charAt(end) == ':';
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static Set<String> calendar() {
    Set<String> out = new HashSet<>();
    for (Month m : Month.values()) {
      out.add(m.name().toLowerCase(Locale.ROOT));
    }
    for (DayOfWeek d : DayOfWeek.values()) {
      out.add(d.name().toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
