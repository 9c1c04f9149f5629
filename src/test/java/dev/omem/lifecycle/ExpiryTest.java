package dev.omem.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryTest {
  // A Wednesday.
  static final Instant AT = Instant.parse("2026-11-18T15:30:00Z");

  static Instant end(String day) {
    return Instant.parse(day + "T00:00:00Z");
  }

  @Test
  void relativeWordsEndTheirDayWeekOrMonthInUtc() {
    assertEquals(end("2026-11-19"), Expiry.of("I'm on call today", AT));
    assertEquals(end("2026-11-19"), Expiry.of("Deploy freeze tonight", AT));
    assertEquals(end("2026-11-20"), Expiry.of("The demo is tomorrow at 10", AT));
    assertEquals(end("2026-11-23"), Expiry.of("Working on the auth refactor this week", AT));
    assertEquals(end("2026-11-30"), Expiry.of("Alice is out Next Week", AT));
    assertEquals(end("2026-12-01"), Expiry.of("This month we focus on latency", AT));
  }

  @Test
  void explicitDatesEndThatDayAndPastOnesGiveNone() {
    assertEquals(end("2026-12-02"), Expiry.of("The release ships on 2026-12-01", AT));
    assertEquals(end("2026-12-02"), Expiry.of("Code freeze on December 1", AT));
    assertEquals(end("2026-12-02"), Expiry.of("Code freeze on Dec 1st", AT));
    assertEquals(end("2026-12-02"), Expiry.of("Code freeze on the 1st of December", AT));
    assertEquals(end("2027-03-02"), Expiry.of("Renew the cert on March 1", AT));
    assertNull(Expiry.of("We migrated to Postgres on 2024-05-01", AT));
    assertNull(Expiry.of("on 2026-02-30 nothing happens", AT));
  }

  @Test
  void factsWithoutATimeLimitHaveNoExpiry() {
    assertNull(Expiry.of("We use pnpm, not npm", AT));
    assertNull(Expiry.of("The weekday cron runs the todays_report job", AT));
    assertNull(Expiry.of("Plans for this weekend", AT));
  }

  @Test
  void theLatestOfSeveralWins() {
    assertEquals(end("2026-11-30"), Expiry.of("Today: prep; next week: the launch", AT));
  }
}
