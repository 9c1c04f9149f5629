package dev.omem.http;

import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per key: {@code perSecond} sustained, {@code burst} at once. */
final class RateLimiter {
  private final double perSecond;
  private final int burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /**
   * Takes one request from {@code key}'s bucket; returns 0 when allowed, else the whole seconds to
   * wait before the next one would be.
   */
  long acquire(String key) {
    if (perSecond <= 0) {
      return 0;
    }
    return buckets.computeIfAbsent(key, k -> new Bucket()).take();
  }

  private final class Bucket {
    private double tokens = burst;
    private long last = System.nanoTime();

    synchronized long take() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond);
    }
  }
}
