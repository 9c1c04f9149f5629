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
 * ("yesterday", "last week", "two weeks ago", "last Friday", "this summer"), relative to an anchor
 * day: for a question, today; for a memory, its own date. English only; seasons are the northern
 * hemisphere's.
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

  /** A weekday, whole or cut short as people write it in chat ("last Tues", "last Fri."). */
  private static final String WEEKDAY =
      "(monday|tuesday|wednesday|thursday|friday|saturday|sunday"
          + "|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\\.?";

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
          "\\b(yesterday|today|tonight|tomorrow|last night"
              + "|(?:this|earlier this) (?:morning|afternoon|evening)|earlier today)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern LAST_NEXT =
      Pattern.compile(
          "\\b(last|this|next|past)\\s+(week|weekend|month|year|" + WEEKDAY + "|" + SEASON + ")\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern AGO =
      Pattern.compile(
          "\\b" + NUMBER + "\\s+(day|weekend|week|month|year)s?\\s+ago\\b",
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
    for (Matcher m = YEAR_ALONE.matcher(rest); m.find(); ) {
      add(out, rest, m, () -> DateSpan.year(num(m.group(1))));
    }
    return out;
  }

  private static void relative(String text, LocalDate anchor, List<DateSpan> out) {
    StringBuilder rest = new StringBuilder(text);
    for (Matcher m = SIMPLE.matcher(rest); m.find(); ) {
      int shift =
          switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "yesterday", "last night" -> -1;
            case "tomorrow" -> 1;
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
      int n = count(m.group(1));
      // "two weekends ago" is about two weeks back
      String unit = m.group(2).toLowerCase(Locale.ROOT).replace("weekend", "week");
      LocalDate at = back(anchor, unit, n);
      long slack = slack(unit);
      out.add(DateSpan.days(at.minusDays(slack), at.plusDays(slack)));
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
        String cut = unit.replace(".", "");
        for (DayOfWeek d : DayOfWeek.values()) {
          if (d.name().toLowerCase(Locale.ROOT).startsWith(cut)) {
            LocalDate day =
                dir < 0
                    ? anchor.with(TemporalAdjusters.previous(d))
                    : dir > 0 ? anchor.with(TemporalAdjusters.next(d)) : anchor.with(d);
            return DateSpan.day(day);
          }
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
      add(out, make);
    }
    blank(rest, m);
  }

  /**
   * What "N units before/after" a date means. "The week before" is the seven days before its first
   * day; "two weeks before" is about then, with the same slack as "two weeks ago" ({@link #AGO}).
   */
  static DateSpan shifted(DateSpan date, MatchResult offset) {
    String unit = offset.group(2).toLowerCase(Locale.ROOT);
    boolean before =
        !offset.group(3).toLowerCase(Locale.ROOT).startsWith("after")
            && !offset.group(3).toLowerCase(Locale.ROOT).startsWith("following");
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
      default -> d.minusYears(n);
    };
  }

  /** "Two weeks ago" is about then, give or take half a unit. */
  private static long slack(String unit) {
    return switch (unit) {
      case "day" -> 0;
      case "week" -> 3;
      case "month" -> 15;
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
