package dev.omem.lifecycle;

import dev.omem.domain.Memory;
import java.time.Duration;
import java.time.Instant;

/**
 * ourmem's Weibull decay. Recency is {@code exp(-λ·t^β)} with t in days since the last access (else
 * creation), {@code λ = ln2 / (30·e^(1.5·importance))} (a 30-day half-life at importance 0, longer
 * for important memories) and β by tier (core 0.8, working 1.0, peripheral 1.3). The composite is
 * {@code 0.4·recency + 0.3·frequency + 0.3·importance·confidence}.
 */
public final class Decay {
  private Decay() {}

  /** Accesses at which {@link #frequency} saturates: the access count a core memory needs. */
  static final int FREQUENCY_SATURATION = Tiers.CORE_ACCESSES;

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

  /**
   * Frequency in [0, 1]: {@code ln(1+n) / ln(1+10)}, capped at 1. ourmem's reference gives the
   * weight, not the formula; a log curve makes the first accesses count most, and it reaches 1 at
   * the core tier's access threshold (3 accesses ≈ 0.58).
   */
  public static double frequency(long accessCount) {
    if (accessCount <= 0) {
      return 0;
    }
    return Math.min(1, Math.log1p(accessCount) / Math.log1p(FREQUENCY_SATURATION));
  }

  /** ourmem's composite decay score, in [0, 1], without any tier floor. */
  public static double composite(Memory m, Instant now) {
    return 0.4 * recency(m, now)
        + 0.3 * frequency(m.accessCount())
        + 0.3 * m.importance() * m.confidence();
  }

  /**
   * The composite floored per tier as ourmem does (core 0.9, working 0.7, peripheral 0.5): the
   * least a memory's decay factor can fall to in ranking. A floor bounds the score from below, so a
   * floored score never falls under it and cannot drive demotion; {@link Tiers} compares the raw
   * {@link #composite} with its own thresholds instead.
   */
  public static double floored(Memory m, Instant now) {
    double floor =
        switch (m.tier()) {
          case CORE -> 0.9;
          case WORKING -> 0.7;
          case PERIPHERAL -> 0.5;
        };
    return Math.max(floor, composite(m, now));
  }
}
