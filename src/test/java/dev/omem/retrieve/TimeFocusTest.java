package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.store.StoredMemory;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dates in questions and memories resolved to spans, and the order a time question asks for. */
class TimeFocusTest {
  static final LocalDate TODAY = LocalDate.of(2026, 12, 5); // a Saturday

  static List<DateSpan> spans(String text) {
    return DateMentions.find(text, TODAY);
  }

  @Test
  void resolvesAbsoluteDates() {
    assertEquals(
        List.of(DateSpan.day(LocalDate.of(2023, 5, 8))), spans("at 1:56 pm on 8 May, 2023"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2023, 5, 8))), spans("May 8th 2023"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2024, 2, 29))), spans("on 2024-02-29"));
    assertEquals(List.of(DateSpan.month(2023, Month.JUNE)), spans("in June 2023"));
    assertEquals(List.of(DateSpan.year(2022)), spans("what did she do in 2022?"));
    assertEquals(List.of(DateSpan.anyYear(Month.JUNE)), spans("camping in June"));
    assertEquals(List.of(), spans("we may go, 31 February 2023 is no date, v1.2.3"));
  }

  @Test
  void resolvesRelativeDatesAgainstTheAnchor() {
    assertEquals(List.of(DateSpan.day(TODAY.minusDays(1))), spans("yesterday"));
    assertEquals(List.of(DateSpan.month(2026, Month.MAY)), spans("last May"));
    assertEquals(List.of(DateSpan.month(2027, Month.MARCH)), spans("next March"));
    assertEquals(List.of(DateSpan.year(2025)), spans("last year"));
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 29))),
        spans("last week"));
    assertEquals(
        List.of(DateSpan.days(TODAY.minusWeeks(2).minusDays(3), TODAY.minusWeeks(2).plusDays(3))),
        spans("two weeks ago"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 12, 4))), spans("last Friday"));
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 8, 31))),
        spans("last summer"));
  }

  @Test
  void resolvesHowPeopleWriteRelativeDaysInChat() {
    assertEquals(List.of(DateSpan.day(TODAY.minusDays(1))), spans("Last night was amazing!"));
    assertEquals(List.of(DateSpan.day(TODAY)), spans("I went for a run this morning"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 12, 1))), spans("last Tues"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 12, 4))), spans("Last Fri. I went"));
    // "sun" cut short is a Sunday only capitalised or with its dot; otherwise it is the sun.
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 11, 29))), spans("last Sun we hiked"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 11, 29))), spans("last sun. we hiked"));
    assertEquals(List.of(), spans("the past sun exposure burned her"));
    assertEquals(
        List.of(DateSpan.days(TODAY.minusWeeks(2).minusDays(3), TODAY.minusWeeks(2).plusDays(3))),
        spans("we went camping two weekends ago"),
        "as \"two weeks ago\"");
  }

  @Test
  void aMemorysOwnDateIsItsStamp() {
    String turn = "(1:56 pm on 8 May, 2023) Melanie: we went camping yesterday";
    assertEquals(LocalDate.of(2023, 5, 8), DateMentions.stamp(turn));
    assertEquals(" Melanie: we went camping yesterday", DateMentions.afterStamp(turn));
    assertEquals(
        List.of(DateSpan.day(LocalDate.of(2023, 5, 7))),
        DateMentions.find(DateMentions.afterStamp(turn), LocalDate.of(2023, 5, 8)));
    assertNull(DateMentions.stamp("(see the README) deploys run nightly"));
  }

  @Test
  void spansOverlapByDayAndMonthOfAnyYear() {
    assertTrue(DateSpan.anyYear(Month.JUNE).overlaps(DateSpan.day(LocalDate.of(2023, 6, 27))));
    assertFalse(DateSpan.anyYear(Month.JUNE).overlaps(DateSpan.year(2023)));
    assertTrue(DateSpan.year(2022).overlaps(DateSpan.day(LocalDate.of(2022, 12, 31))));
    assertFalse(DateSpan.year(2022).overlaps(DateSpan.day(LocalDate.of(2023, 1, 1))));
  }

  @Test
  void readsWhetherAQuestionAsksWhen() {
    assertTrue(TimeFocus.read("When did Melanie paint a sunrise?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("How long has she had her dog?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("In what year did they move?", TODAY).asksWhen());
    assertFalse(TimeFocus.read("What does Melanie paint?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("What does Melanie paint?", TODAY).none());
  }

  @Test
  void readsMoreWaysToAskWhen() {
    assertTrue(TimeFocus.read("In which month did John start the job?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("On what date did the shop open?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("Since when has Nate had turtles?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("Do you know how long ago she moved?", TODAY).asksWhen());
    assertTrue(TimeFocus.read("Remind me which year we dropped GraphQL", TODAY).asksWhen());
    assertTrue(TimeFocus.read("When Jon has lost his job?", TODAY).asksWhen());
    assertFalse(TimeFocus.read("We pick a date library: which one?", TODAY).asksWhen());
    assertFalse(TimeFocus.read("How often does staging redeploy?", TODAY).asksWhen());
  }

  @Test
  void resolvesMoreRelativeDays() {
    // TODAY is Saturday 5 December 2026
    assertEquals(
        List.of(DateSpan.day(LocalDate.of(2026, 12, 3))), spans("the day before yesterday"));
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 12, 7))), spans("the day after tomorrow"));
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2026, 11, 29), LocalDate.of(2026, 12, 4))),
        spans("I saw her the other day"),
        "some day of the week before");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2026, 12, 5), LocalDate.of(2026, 12, 6))),
        spans("we hiked over the weekend"),
        "said on a Saturday: this weekend");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2023, 5, 20), LocalDate.of(2023, 5, 21))),
        DateMentions.find("we hiked over the weekend", LocalDate.of(2023, 5, 22)),
        "said on a Monday: the two days before");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2026, 12, 16), LocalDate.of(2026, 12, 22))),
        spans("the recital is in two weeks"),
        "about 19 December, give or take half a week");
    assertEquals(List.of(DateSpan.day(LocalDate.of(2026, 12, 8))), spans("three days from now"));
    assertEquals(
        List.of(DateSpan.day(LocalDate.of(2026, 11, 28)), DateSpan.day(LocalDate.of(2026, 12, 12))),
        spans("we went on Saturday"),
        "the Saturday before or after: the tense decides, so both");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2023, 6, 6), LocalDate.of(2024, 6, 4))),
        spans("years ago"),
        "no count: read as a few (three) years, give or take half a year");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2011, 12, 6), LocalDate.of(2021, 12, 5))),
        spans("a decade ago"));
    assertEquals(List.of(), spans("the day ago alone is no phrase"));
  }

  @Test
  void resolvesSeasonsOfAYearAndOpenRanges() {
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2022, 6, 1), LocalDate.of(2022, 8, 31))),
        spans("in the summer of 2022"));
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2022, 12, 1), LocalDate.of(2023, 2, 28))),
        spans("winter 2022"));
    assertEquals(
        List.of(DateSpan.until(LocalDate.of(2023, 5, 7))),
        spans("what did she do before 8 May 2023?"));
    assertEquals(List.of(DateSpan.until(LocalDate.of(2023, 4, 30))), spans("prior to May 2023"));
    assertEquals(List.of(DateSpan.until(LocalDate.of(2023, 5, 31))), spans("until May 2023"));
    assertEquals(List.of(DateSpan.since(LocalDate.of(2023, 6, 1))), spans("after May 2023"));
    assertEquals(List.of(DateSpan.since(LocalDate.of(2016, 1, 1))), spans("painting since 2016"));
    assertTrue(DateSpan.since(LocalDate.of(2016, 1, 1)).overlaps(DateSpan.year(2023)));
    assertFalse(
        DateSpan.until(LocalDate.of(2023, 4, 30)).overlaps(DateSpan.month(2023, Month.MAY)));
    assertFalse(
        DateSpan.anyYear(Month.JUNE).overlaps(DateSpan.since(LocalDate.of(2016, 1, 1))),
        "a range longer than a month does not meet \"in June\"");
  }

  @Test
  void anOpenRangeDatesNoEvent() {
    Memory m =
        StoreFallbackSearchTest.memory(
            "t", "(8 May, 2023) Melanie: I've painted since 2016, and yesterday a lake");
    assertEquals(DateSpan.day(LocalDate.of(2023, 5, 7)), EventOffset.dateOf(m, ZoneOffset.UTC));
  }

  @Test
  void aQuestionBeforeADatePrefersMemoriesUntilThen() {
    assertEquals(
        List.of("m1", "m0", "m2"),
        order(
            "What did Jon paint before June 2023?",
            "(20 June, 2023) Jon: I painted the harbour",
            "(3 May, 2023) Jon: I painted a lake",
            "(21 July, 2023) Jon: painting again"));
  }

  static Candidate candidate(String content, int rank) {
    Memory m = StoreFallbackSearchTest.memory("t", content);
    Candidate c = new Candidate("m" + rank);
    c.row = new StoredMemory(m, null, null);
    c.score = 1.0 - rank / 100.0;
    return c;
  }

  static List<String> order(String question, String... contents) {
    List<Candidate> in = new ArrayList<>();
    for (int i = 0; i < contents.length; i++) {
      in.add(candidate(contents[i], i));
    }
    TimeFocus.Focus f = TimeFocus.read(question, TODAY);
    return TimeFocus.order(in, f, ZoneOffset.UTC).stream().map(c -> c.id).toList();
  }

  @Test
  void aWhenQuestionMergesTheMemoriesThatStateATimeByRank() {
    List<String> out =
        order(
            "When did Melanie go camping?",
            "(8 May, 2023) Melanie: camping is my favourite",
            "(8 May, 2023) Caroline: camping sounds great",
            "(8 May, 2023) Melanie: I love the camping gear",
            "(27 June, 2023) Melanie: we went camping last week with the kids");
    assertEquals(List.of("m3", "m0", "m1", "m2"), out);
  }

  @Test
  void aQuestionNamingATimePrefersMemoriesOfThatTime() {
    List<String> out =
        order(
            "When did Melanie go camping in July?",
            "(27 June, 2023) Melanie: we went camping last week",
            "(3 May, 2023) Melanie: camping again soon",
            "(17 July, 2023) Melanie: we camped two weekends ago");
    assertEquals(List.of("m2", "m0", "m1"), out);
    // a stored note without a stamp has the day it was stored as its date
    assertEquals(
        List.of("m1", "m0"),
        order("What did we decide in 2022?", "we picked Postgres", "we picked MySQL in 2022"),
        "only the second is of 2022 (the first was stored today): it leads");
  }

  @Test
  void aQuestionWithoutTimeKeepsTheOrder() {
    assertEquals(
        List.of("m0", "m1"), order("What does Melanie paint?", "sunsets", "(8 May, 2023) lakes"));
  }

  @Test
  void resolvesAnOffsetFromADate() {
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2023, 4, 21), LocalDate.of(2023, 4, 27))),
        spans("two weeks before 8 May 2023"),
        "about 24 April, give or take half a week");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2023, 5, 1), LocalDate.of(2023, 5, 7))),
        spans("the week before May 8, 2023"));
    assertEquals(
        List.of(DateSpan.day(LocalDate.of(2023, 5, 9))), spans("the day after 2023-05-08"));
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2023, 7, 1), LocalDate.of(2023, 7, 31))),
        spans("the month after June 2023"));
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2023, 3, 24), LocalDate.of(2023, 4, 23))),
        spans("a month prior to 8 May 2023"),
        "about 8 April, give or take half a month");
    assertEquals(
        List.of(DateSpan.days(LocalDate.of(2020, 7, 2), LocalDate.of(2021, 7, 1))),
        spans("three years after 2017"),
        "three years after the last day of 2017 (31 December 2020), give or take 182 days");
    // an offset far from its date stays as it was
    assertEquals(
        List.of(DateSpan.day(LocalDate.of(2023, 5, 8))),
        spans("two weeks before the long, long trip that ended on 8 May 2023"));
  }

  @Test
  void aQuestionWithAnOffsetPrefersMemoriesOfThatTime() {
    List<String> out =
        order(
            "What did Melanie paint two weeks before 8 May 2023?",
            "(8 May, 2023) Melanie: I painted a lake",
            "(25 April, 2023) Melanie: I painted a sunrise today");
    assertEquals(List.of("m1", "m0"), out, "the painting of 25 April lies in the span, not 8 May");
  }
}
