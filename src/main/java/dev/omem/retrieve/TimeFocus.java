package dev.omem.retrieve;

import dev.omem.domain.Memory;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Time-aware ordering for questions about when things happened, with no tuned weight. A question
 * that names a time ("in June", "last May", "in 2022", "yesterday") is resolved to date spans
 * ({@link DateMentions}, relative ones against today); a memory's dates are its own (a date stamp
 * that opens its text, else the day it was stored) and those its text mentions, relative ones
 * resolved against its own date ("yesterday" in a note of 8 May is 7 May). A question that asks
 * when ("when did…", "how long…", "what year…") is answered by a memory that states a time: on
 * LoCoMo's two dev conversations 53 of the 63 evidence turns of temporal questions mention a time
 * besides their stamp, against 156 of all 788 turns.
 *
 * <p>The candidates that fit (in the question's span; else, for a when-question, stating a time)
 * are merged by rank with the whole ranking: first the best fitting one, then the best of the rest,
 * and so on, so the best overall candidate stays first or second. Scores are left as they are: they
 * say how relevant a memory is to the words of the question, not its place.
 */
final class TimeFocus {
  private static final Pattern ASKS_WHEN =
      Pattern.compile(
          "^\\W*((since|until|till|around|about|roughly) when|when|how long|how many (days|weeks"
              + "|months|years)|((in|on|at|during|by|around|from) )?(what|which)"
              + " (year|month|date|day|time|week|weekend|season))\\b"
              + "|\\bwhen (did|was|were|is|are|will|do|does|has|had)\\b|\\bhow long ago\\b"
              + "|\\b(what|which) (year|month)\\b",
          Pattern.CASE_INSENSITIVE);

  /** How the candidates are reordered: {@code OMEM_TIME_FOCUS} = on (default), off (ablation). */
  static final boolean ON =
      !"off".equalsIgnoreCase(System.getenv().getOrDefault("OMEM_TIME_FOCUS", "on"));

  /** What a question says about time: the spans it names, and whether it asks when. */
  record Focus(List<DateSpan> spans, boolean asksWhen) {
    boolean none() {
      return !ON || (spans.isEmpty() && !asksWhen);
    }

    /** This focus with one more span: an offset from an event, once the event's date is known. */
    Focus with(DateSpan span) {
      List<DateSpan> more = new ArrayList<>(spans);
      more.add(span);
      return new Focus(List.copyOf(more), asksWhen);
    }

    String describe() {
      return spans.isEmpty()
          ? "asks when: memories that state a time, merged by rank"
          : "names " + spans + ": memories of that time, merged by rank";
    }
  }

  private TimeFocus() {}

  static Focus read(String query, LocalDate today) {
    return new Focus(DateMentions.find(query, today), ASKS_WHEN.matcher(query).find());
  }

  /** The candidates in the order the question's time asks for; the same list when it asks none. */
  static List<Candidate> order(List<Candidate> in, Focus focus, ZoneId zone) {
    if (focus.none() || in.isEmpty()) {
      return in;
    }
    List<Candidate> fitting = new ArrayList<>();
    for (Candidate c : in) {
      if (fits(c.row.memory(), focus, zone)) {
        fitting.add(c);
      }
    }
    if (fitting.isEmpty() || fitting.size() == in.size()) {
      return in;
    }
    Set<Candidate> out = new LinkedHashSet<>();
    int i = 0;
    int j = 0;
    while (out.size() < in.size()) {
      if (i < fitting.size()) {
        out.add(fitting.get(i++));
      }
      while (j < in.size() && !out.add(in.get(j++))) {
        // skip the ones already placed
      }
    }
    return new ArrayList<>(out);
  }

  static boolean fits(Memory m, Focus focus, ZoneId zone) {
    String text = m.content();
    LocalDate stamp = DateMentions.stamp(text);
    LocalDate own = stamp != null ? stamp : LocalDate.ofInstant(m.createdAt(), zone);
    List<DateSpan> mentioned = DateMentions.find(DateMentions.afterStamp(text), own);
    if (focus.spans().isEmpty()) {
      return !mentioned.isEmpty();
    }
    List<DateSpan> dates = new ArrayList<>(mentioned);
    dates.add(DateSpan.day(own));
    for (DateSpan q : focus.spans()) {
      for (DateSpan d : dates) {
        if (q.overlaps(d)) {
          return true;
        }
      }
    }
    return false;
  }
}
