package dev.omem.lifecycle;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a time-bound fact stops being true: "today"/"tonight" at the end of the day it was stated,
 * "tomorrow" at the end of the next day, "this week"/"next week" at the end of that ISO week
 * (Sunday), "this month" at the end of the month, and an explicit date ("on 2026-12-01", "on
 * December 1", "on 1 Dec") at the end of that day; all in UTC, relative to when the memory was
 * created. With several, the latest wins. A date already past when stated is history, not a
 * deadline: it gives no expiry.
 */
public final class Expiry {
  private Expiry() {}

  private static final Pattern RELATIVE =
      Pattern.compile(
          "\\b(today|tonight|tomorrow|this week|next week|this month)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern ISO_DATE =
      Pattern.compile("\\bon (\\d{4})-(\\d{2})-(\\d{2})\\b", Pattern.CASE_INSENSITIVE);

  private static final String MONTH_NAMES;
  private static final Map<String, Month> MONTHS = new HashMap<>();

  static {
    StringBuilder alt = new StringBuilder();
    for (Month m : Month.values()) {
      String full = m.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
      String abbr = full.substring(0, 3);
      MONTHS.put(full, m);
      MONTHS.put(abbr, m);
      alt.append(alt.length() == 0 ? "" : "|").append(full).append('|').append(abbr);
    }
    MONTHS.put("sept", Month.SEPTEMBER);
    MONTH_NAMES = "(sept|" + alt + ")\\b\\.?";
  }

  /** "on December 1", "on Dec 1st, 2027". */
  private static final Pattern MONTH_DAY =
      Pattern.compile(
          "\\bon " + MONTH_NAMES + " (\\d{1,2})(?:st|nd|rd|th)?\\b(?:,? (\\d{4})\\b)?",
          Pattern.CASE_INSENSITIVE);

  /** "on 1 December", "on the 1st of December 2027". */
  private static final Pattern DAY_MONTH =
      Pattern.compile(
          "\\bon (?:the )?(\\d{1,2})(?:st|nd|rd|th)? (?:of )?"
              + MONTH_NAMES
              + "(?:,? (\\d{4})\\b)?",
          Pattern.CASE_INSENSITIVE);

  /** The instant {@code content} stops being true, or null for a fact without a time limit. */
  public static Instant of(String content, Instant createdAt) {
    LocalDate today = LocalDate.ofInstant(createdAt, ZoneOffset.UTC);
    LocalDate last = null;
    Matcher m = RELATIVE.matcher(content);
    while (m.find()) {
      LocalDate d =
          switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "today", "tonight" -> today;
            case "tomorrow" -> today.plusDays(1);
            case "this week" -> today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            case "next week" ->
                today.plusWeeks(1).with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            default -> today.with(TemporalAdjusters.lastDayOfMonth());
          };
      last = later(last, d);
    }
    m = ISO_DATE.matcher(content);
    while (m.find()) {
      last = later(last, date(m.group(1), Integer.parseInt(m.group(2)), m.group(3), today));
    }
    m = MONTH_DAY.matcher(content);
    while (m.find()) {
      last = later(last, date(m.group(3), month(m.group(1)), m.group(2), today));
    }
    m = DAY_MONTH.matcher(content);
    while (m.find()) {
      last = later(last, date(m.group(3), month(m.group(2)), m.group(1), today));
    }
    return last == null ? null : last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static int month(String name) {
    Month mo = MONTHS.get(name.toLowerCase(Locale.ROOT).replace(".", ""));
    return mo == null ? 0 : mo.getValue();
  }

  /**
   * The date, or null if it is not one or already past. Without a year: the next such day on or
   * after {@code today}.
   */
  private static LocalDate date(String year, int month, String day, LocalDate today) {
    try {
      int d = Integer.parseInt(day);
      LocalDate date;
      if (year != null) {
        date = LocalDate.of(Integer.parseInt(year), month, d);
      } else {
        date = LocalDate.of(today.getYear(), month, d);
        if (date.isBefore(today)) {
          date = date.plusYears(1);
        }
      }
      return date.isBefore(today) ? null : date;
    } catch (java.time.DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  private static LocalDate later(LocalDate a, LocalDate b) {
    if (b == null) {
      return a;
    }
    return a == null || b.isAfter(a) ? b : a;
  }
}
