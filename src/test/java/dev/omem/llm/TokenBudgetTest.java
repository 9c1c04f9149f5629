package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBudgetTest {
  final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void refusesTheCallThatWouldPassTheCap() {
    TokenBudget b = new TokenBudget(1000, clock);
    b.charge(600);
    b.charge(400);
    assertEquals(1000, b.usedInLastHour());
    TokenBudget.Exhausted e = assertThrows(TokenBudget.Exhausted.class, () -> b.charge(1));
    assertEquals("LLM token budget of 1000 per hour reached", e.getMessage());
    assertEquals(1000, b.usedInLastHour(), "a refused call costs nothing");
  }

  @Test
  void settlingReplacesTheEstimate() {
    TokenBudget b = new TokenBudget(1000, clock);
    TokenBudget.Charge c = b.charge(900);
    assertThrows(TokenBudget.Exhausted.class, () -> b.charge(200));
    c.settle(150);
    assertEquals(150, b.usedInLastHour());
    b.charge(800);
    assertEquals(950, b.usedInLastHour());
  }

  @Test
  void chargesLeaveTheWindowAfterAnHour() {
    TokenBudget b = new TokenBudget(1000, clock);
    b.charge(700);
    clock.advance(Duration.ofMinutes(30));
    b.charge(300);
    assertThrows(TokenBudget.Exhausted.class, () -> b.charge(100));
    clock.advance(Duration.ofMinutes(29));
    assertThrows(TokenBudget.Exhausted.class, () -> b.charge(100));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(300, b.usedInLastHour(), "the first charge is an hour old");
    b.charge(700);
    clock.advance(Duration.ofHours(2));
    assertEquals(0, b.usedInLastHour());
  }

  @Test
  void settlingAnExpiredChargeChangesNothing() {
    TokenBudget b = new TokenBudget(1000, clock);
    TokenBudget.Charge c = b.charge(500);
    clock.advance(Duration.ofMinutes(61));
    b.charge(100);
    c.settle(900);
    assertEquals(100, b.usedInLastHour());
  }

  @Test
  void concurrentChargesNeverPassTheCap() throws Exception {
    TokenBudget b = new TokenBudget(10_000, clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(
          pool.submit(
              () -> {
                start.await();
                int granted = 0;
                for (int i = 0; i < 500; i++) {
                  try {
                    b.charge(7);
                    granted++;
                  } catch (TokenBudget.Exhausted e) {
                    // expected once the cap is reached
                  }
                }
                return granted;
              }));
    }
    start.countDown();
    int granted = 0;
    for (Future<Integer> f : done) {
      granted += f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(10_000 / 7, granted);
    assertEquals(10_000 / 7 * 7, b.usedInLastHour());
  }
}
