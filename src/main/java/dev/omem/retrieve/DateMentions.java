package dev.omem.retrieve;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the dates a text mentions and resolves them to {@link DateSpan}s: absolute ones ("8 May,
 * 2023", "May 8th 2023", "2023-05-08", "May 2023", "in June", "2022") and relative ones
 * ("yesterday", "last week", "two weeks ago", "last Friday", "this summer", "over the weekend", "in
 * two weeks", "on Saturday"), relative to an anchor day: for a question, today; for a memory, its
 * own date. A bound before a date makes it an open range ("before May 2023", "since 2016"). The
 * phrases are ordinary English ways to say a time, written from the grammar, not from a data set's
 * misses. English only; seasons are the northern hemisphere's. One file past 400 lines: one
 * grammar, whose patterns share their pieces (a count, a weekday, a month) and the order in which
 * each match is blanked so that a later pattern does not read it again.
 */
final class DateMentions {
  private DateMentions() {}

  private static final Map<String, Month> MONTHS = monthNames();
  private static final String MONTH =
      "(january|february|march|april|may|june|july|august|september|october|november|december"
          + "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?";
  private static final String DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
  private static final String YEAR = "((?:19|20)\\d{2})";
  private static final String NUMBER =
      "(\\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of"
          + "|a few|few|several)";

  /**
   * A weekday, whole or cut short as people write it in chat ("last Tues", "last Fri."). "Sun" cut
   * short only capitalised or with its dot: "the past sun exposure" is about the sun.
   */
  private static final String WEEKDAY =
      "(monday|tuesday|wednesday|thursday|friday|saturday|sunday"
          + "|mon|tues|tue|wed|thurs|thur|thu|fri|sat|(?-i:Sun)|sun(?=\\.))\\.?";

  private static final String SEASON = "(spring|summer|fall|autumn|winter)";

  private static final Pattern ISO = Pattern.compile("\\b" + YEAR + "-(\\d{2})-(\\d{2})\\b");
  private static final Pattern DAY_MONTH_YEAR =
      Pattern.compile(
          "\\b" + DAY + "\\s+(?:of\\s+)?" + MONTH + ",?\\s+" + YEAR + "\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern MONTH_DAY_YEAR =
      Pattern.compile(
          "\\b" + MONTH + "\\s+" + DAY + ",?\\s+" + YEAR + "\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern MONTH_YEAR =
      Pattern.compile("\\b" + MONTH + ",?\\s+(?:of\\s+)?" + YEAR + "\\b", Pattern.CASE_INSENSITIVE);

  /**
   * A month alone: after a word that makes it a time ("in June", "last May", "early March"), or
   * capitalised and not the verb "may".
   */
  private static final Pattern MONTH_ALONE =
      Pattern.compile(
          "\\b(?:(in|during|of|since|until|before|after|by|early|mid|late|last|this|next)\\s+)?"
              + MONTH
              + "\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern YEAR_ALONE = Pattern.compile("(?<![\\d.,:/-])" + YEAR + "\\b");

  /** A day named relative to the anchor; "last night" is yesterday's, "this morning" today's. */
  private static final Pattern SIMPLE =
      Pattern.compile(
          "\\b(the day before yesterday|the day after tomorrow|the other day|yesterday|today|tonight"
              + "|tomorrow|last night"
              + "|(?:this|earlier this) (?:morning|afternoon|evening)|earlier today)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern LAST_NEXT =
      Pattern.compile(
          "\\b(last|this|next|past)\\s+(week|weekend|month|year|" + WEEKDAY + "|" + SEASON + ")\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern AGO =
      Pattern.compile(
          "\\b(?:" + NUMBER + "\\s+)?(day|weekend|week|month|year|decade)(s?)\\s+ago\\b",
          Pattern.CASE_INSENSITIVE);

  /**
   * "Two weeks before ", "the day after ": the count (group 1, absent for "the"), the unit (2) and
   * the direction (3) that {@link #shifted} reads; also what {@link EventOffset} reads before an
   * event.
   */
  static final String OFFSET_WORDS =
      "\\b(?:"
          + NUMBER
          + "|the)\\s+(day|week|month|year)s?\\s+(before|after|prior\\s+to|following)\\s+";

  /**
   * An offset that ends right before an absolute date: "two weeks before 8 May 2023", "the day
   * after 2023-05-08", "a month prior to June 2023". Read on the {@link #OFFSET_REACH} characters
   * before the date.
   */
  private static final Pattern OFFSET =
      Pattern.compile(OFFSET_WORDS + "(?:on\\s+|in\\s+)?$", Pattern.CASE_INSENSITIVE);

  /** How far before a date its offset may start: "a couple of months prior to " is 26. */
  private static final int OFFSET_REACH = 40;

  /** "Over the weekend" in a note: the last Saturday and Sunday up to its day. */
  private static final Pattern WEEKEND =
      Pattern.compile("\\b(?:over|on|at|during)\\s+the\\s+weekend\\b", Pattern.CASE_INSENSITIVE);

  /** A time ahead of the anchor: "in two weeks", "three days from now". */
  private static final Pattern AHEAD =
      Pattern.compile(
          "\\bin\\s+"
              + NUMBER
              + "\\s+(day|week|month|year)s?\\b|\\b"
              + NUMBER
              + "\\s+(day|week|month|year)s?\\s+from\\s+now\\b",
          Pattern.CASE_INSENSITIVE);

  /** A weekday named with "on" and no "last"/"next": "we hiked on Saturday". */
  private static final Pattern ON_WEEKDAY =
      Pattern.compile("\\bon\\s+" + WEEKDAY + "(?![\\w'])", Pattern.CASE_INSENSITIVE);

  /** A season of a year: "summer 2022", "the winter of 2021". */
  private static final Pattern SEASON_YEAR =
      Pattern.compile("\\b" + SEASON + "\\s+(?:of\\s+)?" + YEAR + "\\b", Pattern.CASE_INSENSITIVE);

  /**
   * A bound that ends right before an absolute date and makes it an open range: "before May 2023"
   * is every day until April, "since 2016" every day from 2016 on.
   */
  private static final Pattern BOUND =
      Pattern.compile(
          "\\b(before|prior\\s+to|until|till|after|since)\\s+(?:on\\s+|in\\s+|the\\s+)?$",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern SEASON_ALONE =
      Pattern.compile(
          "\\b(?:in|during|over)\\s+the\\s+" + SEASON + "\\b", Pattern.CASE_INSENSITIVE);

  /**
   * A date stamp that opens a text: "(1:56 pm on 8 May, 2023) Caroline: ...", "[2023-05-08] ...".
   * It is the memory's own date, not a date it speaks about.
   */
  private static final Pattern STAMP = Pattern.compile("^\\s*[(\\[]([^)\\]]{4,60})[)\\]]");

  /** The date a text is stamped with at its start, if any. */
  static LocalDate stamp(String text) {
    Matcher m = STAMP.matcher(text);
    if (!m.find()) {
      return null;
    }
    return absolute(m.group(1), new ArrayList<>()).stream()
        .filter(s -> s.from() != null && s.from().equals(s.to()))
        .map(DateSpan::from)
        .findFirst()
        .orElse(null);
  }

  /** The text after its date stamp (all of it when it has none). */
  static String afterStamp(String text) {
    Matcher m = STAMP.matcher(text);
    return m.find() && stamp(text) != null ? text.substring(m.end()) : text;
  }

  /** Every date {@code text} mentions, relative ones resolved against {@code anchor}. */
  static List<DateSpan> find(String text, LocalDate anchor) {
    List<DateSpan> out = new ArrayList<>();
    StringBuilder rest = new StringBuilder(text);
    absolute(text, out, rest);
    relative(rest.toString(), anchor, out);
    return out;
  }

  private static List<DateSpan> absolute(String text, List<DateSpan> out) {
    return absolute(text, out, new StringBuilder(text));
  }

  /** Absolute dates, most specific first; each match is blanked in {@code rest}. */
  private static List<DateSpan> absolute(String text, List<DateSpan> out, StringBuilder rest) {
    for (Matcher m = ISO.matcher(rest); m.find(); ) {
      add(
          out,
          rest,
          m,
          () -> DateSpan.day(LocalDate.of(num(m.group(1)), num(m.group(2)), num(m.group(3)))));
    }
    for (Matcher m = DAY_MONTH_YEAR.matcher(rest); m.find(); ) {
      add(out, rest, m, () -> DateSpan.day(date(m.group(3), m.group(2), m.group(1))));
    }
    for (Matcher m = MONTH_DAY_YEAR.matcher(rest); m.find(); ) {
      add(out, rest, m, () -> DateSpan.day(date(m.group(3), m.group(1), m.group(2))));
    }
    for (Matcher m = MONTH_YEAR.matcher(rest); m.find(); ) {
      add(out, rest, m, () -> DateSpan.month(num(m.group(2)), month(m.group(1))));
    }
    for (Matcher m = SEASON_YEAR.matcher(rest); m.find(); ) {
      add(out, rest, m, () -> seasonOf(num(m.group(2)), m.group(1)));
    }
    for (Matcher m = YEAR_ALONE.matcher(rest); m.find(); ) {
      add(out, rest, m, () -> DateSpan.year(num(m.group(1))));
    }
    return out;
  }

  private static void relative(String text, LocalDate anchor, List<DateSpan> out) {
    StringBuilder rest = new StringBuilder(text);
    for (Matcher m = SIMPLE.matcher(rest); m.find(); ) {
      String said = m.group(1).toLowerCase(Locale.ROOT);
      if (said.equals("the other day")) { // some day of the week before
        out.add(DateSpan.days(anchor.minusDays(6), anchor.minusDays(1)));
        blank(rest, m);
        continue;
      }
      int shift =
          switch (said) {
            case "the day before yesterday" -> -2;
            case "yesterday", "last night" -> -1;
            case "tomorrow" -> 1;
            case "the day after tomorrow" -> 2;
            default -> 0;
          };
      out.add(DateSpan.day(anchor.plusDays(shift)));
      blank(rest, m);
    }
    for (Matcher m = LAST_NEXT.matcher(rest); m.find(); ) {
      DateSpan s = lastNext(m.group(1).toLowerCase(Locale.ROOT), m.group(2), anchor);
      if (s != null) {
        out.add(s);
      }
      blank(rest, m);
    }
    for (Matcher m = AGO.matcher(rest); m.find(); ) {
      if (m.group(1) == null && m.group(3).isEmpty()) {
        continue; // "day ago" without a count is no phrase
      }
      // "years ago" without a count is read as "a few years ago"
      int n = m.group(1) == null ? count("a few") : count(m.group(1));
      // "two weekends ago" is about two weeks back
      String unit = m.group(2).toLowerCase(Locale.ROOT).replace("weekend", "week");
      LocalDate at = back(anchor, unit, n);
      long slack = slack(unit);
      out.add(DateSpan.days(at.minusDays(slack), at.plusDays(slack)));
      blank(rest, m);
    }
    for (Matcher m = WEEKEND.matcher(rest); m.find(); ) {
      LocalDate saturday = anchor.plusDays(1).with(TemporalAdjusters.previous(DayOfWeek.SATURDAY));
      out.add(DateSpan.days(saturday, saturday.plusDays(1)));
      blank(rest, m);
    }
    for (Matcher m = AHEAD.matcher(rest); m.find(); ) {
      boolean words = m.group(1) != null;
      int n = count(words ? m.group(1) : m.group(3));
      String unit = (words ? m.group(2) : m.group(4)).toLowerCase(Locale.ROOT);
      LocalDate at = back(anchor, unit, -n);
      long slack = slack(unit);
      out.add(DateSpan.days(at.minusDays(slack), at.plusDays(slack)));
      blank(rest, m);
    }
    for (Matcher m = ON_WEEKDAY.matcher(rest); m.find(); ) {
      // "on Saturday" in a note: the one before or the one after, the tense decides which
      DayOfWeek d = weekday(m.group(1));
      out.add(DateSpan.day(anchor.with(TemporalAdjusters.previous(d))));
      out.add(DateSpan.day(anchor.with(TemporalAdjusters.next(d))));
      blank(rest, m);
    }
    for (Matcher m = SEASON_ALONE.matcher(rest); m.find(); ) {
      seasonMonths(m.group(1)).forEach(mo -> out.add(DateSpan.anyYear(mo)));
      blank(rest, m);
    }
    for (Matcher m = MONTH_ALONE.matcher(rest); m.find(); ) {
      String before = m.group(1) == null ? "" : m.group(1).toLowerCase(Locale.ROOT);
      String name = m.group(2);
      boolean isVerbMay = name.equalsIgnoreCase("may") && before.isEmpty();
      boolean capitalised = Character.isUpperCase(name.charAt(0));
      if (isVerbMay || (before.isEmpty() && !capitalised) || name.length() < 3) {
        continue;
      }
      Month mo = month(name);
      switch (before) {
        case "last" -> {
          int y = anchor.getMonthValue() > mo.getValue() ? anchor.getYear() : anchor.getYear() - 1;
          out.add(DateSpan.month(y, mo));
        }
        case "next" -> {
          int y = anchor.getMonthValue() < mo.getValue() ? anchor.getYear() : anchor.getYear() + 1;
          out.add(DateSpan.month(y, mo));
        }
        case "this" -> out.add(DateSpan.month(anchor.getYear(), mo));
        default -> out.add(DateSpan.anyYear(mo));
      }
      blank(rest, m);
    }
  }

  private static DateSpan lastNext(String which, String what, LocalDate anchor) {
    String unit = what.toLowerCase(Locale.ROOT);
    int dir = which.equals("next") ? 1 : which.equals("this") ? 0 : -1;
    switch (unit) {
      case "week", "weekend" -> {
        LocalDate monday = anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate start = monday.plusWeeks(dir);
        return DateSpan.days(start, start.plusDays(6));
      }
      case "month" -> {
        LocalDate m = anchor.plusMonths(dir);
        return DateSpan.month(m.getYear(), m.getMonth());
      }
      case "year" -> {
        return DateSpan.year(anchor.getYear() + dir);
      }
      default -> {
        DayOfWeek d = weekday(unit);
        if (d != null) {
          LocalDate day =
              dir < 0
                  ? anchor.with(TemporalAdjusters.previous(d))
                  : dir > 0 ? anchor.with(TemporalAdjusters.next(d)) : anchor.with(d);
          return DateSpan.day(day);
        }
        List<Month> months = seasonMonths(unit);
        if (months.isEmpty()) {
          return null;
        }
        int year = anchor.getYear() + dir;
        if (dir < 0 && anchor.getMonthValue() > months.get(months.size() - 1).getValue()) {
          year = anchor.getYear(); // "last summer" in October is this year's
        }
        LocalDate from = LocalDate.of(year, months.get(0), 1);
        LocalDate to = LocalDate.of(year, months.get(months.size() - 1), 1);
        return DateSpan.days(from, to.withDayOfMonth(to.lengthOfMonth()));
      }
    }
  }

  /** The weekday a whole or cut-short name means ("Tues", "fri."), or null. */
  private static DayOfWeek weekday(String name) {
    String cut = name.toLowerCase(Locale.ROOT).replace(".", "");
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().toLowerCase(Locale.ROOT).startsWith(cut)) {
        return d;
      }
    }
    return null;
  }

  /** A season of a year: "the summer of 2022"; winter 2022 runs from December 2022 to February. */
  private static DateSpan seasonOf(int year, String season) {
    LocalDate from = LocalDate.of(year, seasonMonths(season).get(0), 1);
    LocalDate last = from.plusMonths(2);
    return DateSpan.days(from, last.withDayOfMonth(last.lengthOfMonth()));
  }

  private static List<Month> seasonMonths(String season) {
    return switch (season.toLowerCase(Locale.ROOT)) {
      case "spring" -> List.of(Month.MARCH, Month.APRIL, Month.MAY);
      case "summer" -> List.of(Month.JUNE, Month.JULY, Month.AUGUST);
      case "fall", "autumn" -> List.of(Month.SEPTEMBER, Month.OCTOBER, Month.NOVEMBER);
      case "winter" -> List.of(Month.DECEMBER, Month.JANUARY, Month.FEBRUARY);
      default -> List.of();
    };
  }

  private interface SpanMaker {
    DateSpan make();
  }

  /** Adds a span unless its numbers are no date (31 February). */
  private static void add(List<DateSpan> out, SpanMaker make) {
    try {
      out.add(make.make());
    } catch (java.time.DateTimeException | NumberFormatException e) {
      // not a date after all
    }
  }

  /**
   * Adds the absolute date {@code m} matched, moved by the offset that ends right before it ("two
   * weeks before"), and blanks both in {@code rest}.
   */
  private static void add(List<DateSpan> out, StringBuilder rest, Matcher m, SpanMaker make) {
    int from = Math.max(0, m.start() - OFFSET_REACH);
    Matcher o = OFFSET.matcher(rest.substring(from, m.start()));
    if (o.find()) {
      add(out, () -> shifted(make.make(), o));
      for (int i = from + o.start(); i < m.start(); i++) {
        rest.setCharAt(i, ' ');
      }
    } else {
      Matcher b = BOUND.matcher(rest.substring(from, m.start()));
      add(out, b.find() ? () -> bounded(make.make(), b.group(1)) : make);
    }
    blank(rest, m);
  }

  /** The open range a bound makes of a date: "until May 2023" includes May, "before" does not. */
  private static DateSpan bounded(DateSpan date, String bound) {
    return switch (bound.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")) {
      case "before", "prior to" -> DateSpan.until(date.from().minusDays(1));
      case "until", "till" -> DateSpan.until(date.to());
      case "after" -> DateSpan.since(date.to().plusDays(1));
      default -> DateSpan.since(date.from());
    };
  }

  /**
   * What "N units before/after" a date means. "The week before" is the seven days before its first
   * day; "two weeks before" is about then, with the same slack as "two weeks ago" ({@link #AGO}).
   */
  static DateSpan shifted(DateSpan date, MatchResult offset) {
    String unit = offset.group(2).toLowerCase(Locale.ROOT);
    String direction = offset.group(3).toLowerCase(Locale.ROOT);
    boolean before = !direction.startsWith("after") && !direction.startsWith("following");
    if (offset.group(1) == null) { // "the week before": the whole unit next to the date
      return before
          ? DateSpan.days(back(date.from(), unit, 1), date.from().minusDays(1))
          : DateSpan.days(
              date.to().plusDays(1), back(date.to().plusDays(1), unit, -1).minusDays(1));
    }
    int n = count(offset.group(1));
    LocalDate at = before ? back(date.from(), unit, n) : back(date.to(), unit, -n);
    long slack = slack(unit);
    return DateSpan.days(at.minusDays(slack), at.plusDays(slack));
  }

  /** {@code d} moved back by {@code n} units (forward when n is negative). */
  private static LocalDate back(LocalDate d, String unit, int n) {
    return switch (unit) {
      case "day" -> d.minusDays(n);
      case "week" -> d.minusWeeks(n);
      case "month" -> d.minusMonths(n);
      case "decade" -> d.minusYears(10L * n);
      default -> d.minusYears(n);
    };
  }

  /** "Two weeks ago" is about then, give or take half a unit. */
  private static long slack(String unit) {
    return switch (unit) {
      case "day" -> 0;
      case "week" -> 3;
      case "month" -> 15;
      case "decade" -> 1826;
      default -> 182;
    };
  }

  private static void blank(StringBuilder rest, Matcher m) {
    for (int i = m.start(); i < m.end(); i++) {
      rest.setCharAt(i, ' ');
    }
  }

  private static LocalDate date(String year, String month, String day) {
    return LocalDate.of(num(year), month(month), num(day));
  }

  private static int num(String s) {
    return Integer.parseInt(s);
  }

  private static Month month(String name) {
    String key = name.toLowerCase(Locale.ROOT).replace(".", "");
    return MONTHS.get(key.length() > 3 && !key.equals("sept") ? key.substring(0, 3) : key);
  }

  private static int count(String n) {
    return switch (n.toLowerCase(Locale.ROOT)) {
      case "a", "an", "one" -> 1;
      case "two", "a couple of" -> 2;
      case "three", "a few", "few", "several" -> 3;
      case "four" -> 4;
      case "five" -> 5;
      case "six" -> 6;
      case "seven" -> 7;
      case "eight" -> 8;
      case "nine" -> 9;
      case "ten" -> 10;
      case "eleven" -> 11;
      case "twelve" -> 12;
      default -> Integer.parseInt(n);
    };
  }

  private static Map<String, Month> monthNames() {
    Map<String, Month> m = new java.util.HashMap<>();
    for (Month mo : Month.values()) {
      m.put(mo.name().substring(0, 3).toLowerCase(Locale.ROOT), mo);
    }
    m.put("sept", Month.SEPTEMBER);
    return Map.copyOf(m);
  }
}
