package dev.omem.lifecycle;

import dev.omem.domain.Memory;
import java.time.Duration;
import java.time.Instant;

/**
 * ourmem's Weibull recency: {@code exp(-λ·t^β)} with t in days since the last access (else
 * creation), {@code λ = ln2 / (30·e^(1.5·importance))} (a 30-day half-life at importance 0, longer
 * for important memories) and β by tier (core 0.8, working 1.0, peripheral 1.3).
 */
public final class Decay {
  private Decay() {}

  /** Recency in (0, 1]: 1 for a memory used just now. */
  public static double recency(Memory m, Instant now) {
    Instant last = m.lastAccessedAt() != null ? m.lastAccessedAt() : m.createdAt();
    double days = Math.max(0, Duration.between(last, now).toMillis() / 86_400_000.0);
    double lambda = Math.log(2) / (30 * Math.exp(1.5 * m.importance()));
    double beta =
        switch (m.tier()) {
          case CORE -> 0.8;
          case WORKING -> 1.0;
          case PERIPHERAL -> 1.3;
        };
    return Math.exp(-lambda * Math.pow(days, beta));
  }
}
