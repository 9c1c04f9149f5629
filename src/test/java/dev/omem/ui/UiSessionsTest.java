package dev.omem.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UiSessionsTest {
  /** A clock the test moves. */
  private static final class Hands extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final Hands clock = new Hands();
  private final UiSessions sessions = new UiSessions(clock);
  private final UiUser alice = new UiUser("t-alice", "t-alice");

  @Test
  void aLoginCodeWorksOnceAndOnlyWhileFresh() {
    String code = sessions.issueCode(alice);
    String id = sessions.redeem(code).orElseThrow();
    assertEquals(alice, sessions.touch(id).orElseThrow().user());
    assertTrue(sessions.redeem(code).isEmpty(), "a second use");

    String late = sessions.issueCode(alice);
    clock.advance(UiSessions.CODE_TTL.plusSeconds(1));
    assertTrue(sessions.redeem(late).isEmpty(), "an old code");
    assertTrue(sessions.redeem("guessed").isEmpty());
    assertTrue(sessions.redeem(null).isEmpty());
  }

  @Test
  void aSessionEndsWhenIdleAtItsMaximumAgeAndOnLogout() {
    String idle = sessions.open(alice);
    clock.advance(UiSessions.IDLE.minusMinutes(1));
    assertTrue(sessions.touch(idle).isPresent(), "used within the idle time: still alive");
    clock.advance(UiSessions.IDLE.plusMinutes(1));
    assertTrue(sessions.touch(idle).isEmpty(), "idle too long");

    String busy = sessions.open(alice);
    for (Duration used = Duration.ZERO;
        used.compareTo(UiSessions.MAX_AGE) < 0;
        used = used.plus(Duration.ofMinutes(30))) {
      assertTrue(sessions.touch(busy).isPresent());
      clock.advance(Duration.ofMinutes(30));
    }
    clock.advance(Duration.ofMinutes(1));
    assertTrue(sessions.touch(busy).isEmpty(), "past its maximum age, however busy");

    String out = sessions.open(alice);
    sessions.close(out);
    assertTrue(sessions.touch(out).isEmpty(), "signed out");
  }

  @Test
  void eachSessionHasItsOwnUnguessableIdAndCsrfToken() {
    String a = sessions.open(alice);
    String b = sessions.open(alice);
    assertNotEquals(a, b);
    String csrfA = sessions.touch(a).orElseThrow().csrf();
    assertNotEquals(csrfA, sessions.touch(b).orElseThrow().csrf());
    assertTrue(a.length() >= 43 && csrfA.length() >= 43, "256 random bits each");
    assertTrue(UiSessions.same(csrfA, csrfA));
    assertTrue(!UiSessions.same(csrfA, null) && !UiSessions.same(csrfA, csrfA + "x"));
  }

  @Test
  void htmlEscapesEveryMarkupCharacter() {
    assertEquals(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
        Html.escape("<script>alert('x')</script> & \"q\""));
    assertEquals("", Html.escape(null));
  }
}
