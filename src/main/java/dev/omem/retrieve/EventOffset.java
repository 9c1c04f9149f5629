package dev.omem.retrieve;

import dev.omem.domain.Memory;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time a question names as an offset from an event, not a date: "two weeks before the trip", "the
 * month after my birthday party". The event is what follows the offset, up to the end of the
 * clause; the search resolves it by a first retrieval of those words ({@link RetrievalPipeline}),
 * takes the best memory's date ({@link #dateOf}) and moves it by the offset as {@link DateMentions}
 * moves a stated date. Nothing is weighed: the span joins the question's spans in {@link
 * TimeFocus}.
 *
 * @param event the words that name the event ("the trip")
 * @param offset the offset's match, groups as {@link DateMentions#OFFSET_WORDS} says
 */
record EventOffset(String event, MatchResult offset) {
  private static final Pattern AT_EVENT =
      Pattern.compile(
          DateMentions.OFFSET_WORDS + "([^?.!;,]*[\\p{L}\\d][^?.!;,]*)", Pattern.CASE_INSENSITIVE);

  /**
   * The offset from an event in {@code query}, if it names one. An offset from a date ("two weeks
   * before 8 May 2023") is no event: {@link DateMentions} resolves it without a retrieval.
   */
  static Optional<EventOffset> find(String query) {
    Matcher m = AT_EVENT.matcher(query);
    if (!m.find()) {
      return Optional.empty();
    }
    String event = m.group(4).strip();
    // Any date in the event's words makes the question's time explicit (or vague: "the trip
    // in May"); an anchor day is needed to read them, any will do to see whether there is one.
    if (!DateMentions.find(event, LocalDate.EPOCH).isEmpty()
        || event.toLowerCase(Locale.ROOT).matches("(it|that|this|then|now)")) {
      return Optional.empty();
    }
    return Optional.of(new EventOffset(event, m.toMatchResult()));
  }

  /** The span the offset names from an event of {@code eventDate}. */
  DateSpan from(DateSpan eventDate) {
    return DateMentions.shifted(eventDate, offset);
  }

  /**
   * When the event a memory tells of happened: the first dated span its text mentions (resolved
   * against the memory's own date: "I ran a charity race last Saturday"), else its own date (its
   * stamp, else the day it was stored). A month of any year ("in June") has no days to move.
   */
  static DateSpan dateOf(Memory m, ZoneId zone) {
    String text = m.content();
    LocalDate stamp = DateMentions.stamp(text);
    LocalDate own = stamp != null ? stamp : LocalDate.ofInstant(m.createdAt(), zone);
    List<DateSpan> mentioned = DateMentions.find(DateMentions.afterStamp(text), own);
    return mentioned.stream()
        .filter(s -> s.anyYearMonth() == null && !s.open())
        .findFirst()
        .orElse(DateSpan.day(own));
  }
}
