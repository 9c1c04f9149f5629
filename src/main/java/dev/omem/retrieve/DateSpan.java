package dev.omem.retrieve;

import java.time.LocalDate;
import java.time.Month;

/**
 * Days from {@code from} to {@code to}, both included: what a date expression means ("8 May 2023",
 * "May 2023", "2022", "last week"). A month named without a year ("in June") is {@code
 * anyYearMonth}, with no days of its own.
 */
record DateSpan(LocalDate from, LocalDate to, Month anyYearMonth) {

  static DateSpan days(LocalDate from, LocalDate to) {
    return new DateSpan(from, to, null);
  }

  static DateSpan day(LocalDate d) {
    return days(d, d);
  }

  static DateSpan month(int year, Month m) {
    LocalDate first = LocalDate.of(year, m, 1);
    return days(first, first.withDayOfMonth(first.lengthOfMonth()));
  }

  static DateSpan year(int year) {
    return days(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
  }

  static DateSpan anyYear(Month m) {
    return new DateSpan(null, null, m);
  }

  /** The first day an open range ("before May 2023") reaches back to. */
  static final LocalDate EARLIEST = LocalDate.of(1, 1, 1);

  /** The last day an open range ("since 2016", "after May 2023") reaches to. */
  static final LocalDate LATEST = LocalDate.of(9999, 12, 31);

  /** Every day until {@code to}: "before 8 May 2023" is until 7 May. */
  static DateSpan until(LocalDate to) {
    return days(EARLIEST, to);
  }

  /** Every day from {@code from} on: "since 2016", "after May 2023". */
  static DateSpan since(LocalDate from) {
    return days(from, LATEST);
  }

  /** Whether this is an open range, which dates no event. */
  boolean open() {
    return EARLIEST.equals(from) || LATEST.equals(to);
  }

  /**
   * Whether a question's span and a memory's share a day. A month of any year matches a memory's
   * span of at most a month that has a day in it: "in June" is not met by "last year".
   */
  boolean overlaps(DateSpan other) {
    if (anyYearMonth != null || other.anyYearMonth != null) {
      DateSpan pattern = anyYearMonth != null ? this : other;
      DateSpan dated = anyYearMonth != null ? other : this;
      if (dated.anyYearMonth != null) {
        return dated.anyYearMonth == pattern.anyYearMonth;
      }
      if (dated.to.toEpochDay() - dated.from.toEpochDay() > 31) {
        return false;
      }
      for (LocalDate d = dated.from; !d.isAfter(dated.to); d = d.plusDays(1)) {
        if (d.getMonth() == pattern.anyYearMonth) {
          return true;
        }
      }
      return false;
    }
    return !from.isAfter(other.to) && !other.from.isAfter(to);
  }
}
