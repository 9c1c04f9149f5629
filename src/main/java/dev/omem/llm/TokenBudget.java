package dev.omem.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The cost cap: at most {@code maxTokensPerHour} tokens over any sliding hour. Each call is charged
 * before it is made, with an estimate ({@link #charge}), and settled afterwards with what the
 * provider reports ({@link Charge#settle}); a call whose estimate does not fit is refused without
 * being made, so the cap holds even when calls run at once. A charge counts from the moment its
 * call started and leaves the window an hour later.
 *
 * <p>Thread-safe. Time comes from the {@link Clock}, so tests can move it.
 */
public final class TokenBudget {
  /** The window. An hour: the unit people reason about spend in ("at most $X an hour"). */
  public static final Duration WINDOW = Duration.ofHours(1);

  private final long maxTokensPerHour;
  private final Clock clock;
  private final Deque<Charge> charges = new ArrayDeque<>();
  private long used;

  public TokenBudget(long maxTokensPerHour, Clock clock) {
    if (maxTokensPerHour <= 0) {
      throw new IllegalArgumentException("the token budget must be positive: " + maxTokensPerHour);
    }
    this.maxTokensPerHour = maxTokensPerHour;
    this.clock = clock;
  }

  /** Thrown instead of making a call that would take the last hour's tokens past the cap. */
  public static final class Exhausted extends RuntimeException {
    Exhausted(long max) {
      super("LLM token budget of " + max + " per hour reached");
    }
  }

  /** One call's share of the budget: its estimate until settled, then what the provider billed. */
  public final class Charge {
    private final Instant at;
    private long tokens;

    private Charge(Instant at, long tokens) {
      this.at = at;
      this.tokens = tokens;
    }

    /** Replaces the estimate with the tokens the call really used. */
    public void settle(long actualTokens) {
      synchronized (TokenBudget.this) {
        if (charges.contains(this)) {
          used += Math.max(0, actualTokens) - tokens;
        }
        tokens = Math.max(0, actualTokens);
      }
    }
  }

  /**
   * Reserves {@code estimate} tokens for a call about to be made, or throws {@link Exhausted} when
   * the tokens of the last hour plus this estimate would pass the cap.
   */
  public synchronized Charge charge(long estimate) {
    Instant now = clock.instant();
    expire(now);
    long e = Math.max(0, estimate);
    if (used + e > maxTokensPerHour) {
      throw new Exhausted(maxTokensPerHour);
    }
    Charge c = new Charge(now, e);
    charges.addLast(c);
    used += e;
    return c;
  }

  /** Tokens charged in the last hour. */
  public synchronized long usedInLastHour() {
    expire(clock.instant());
    return used;
  }

  public long maxTokensPerHour() {
    return maxTokensPerHour;
  }

  private void expire(Instant now) {
    Instant cutoff = now.minus(WINDOW);
    while (!charges.isEmpty() && !charges.peekFirst().at.isAfter(cutoff)) {
      used -= charges.removeFirst().tokens;
    }
  }
}
