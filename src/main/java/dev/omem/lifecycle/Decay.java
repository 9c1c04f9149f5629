package dev.omem.lifecycle;

import dev.omem.domain.Memory;
import dev.omem.domain.Tier;
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

  /** Days for recency to halve at importance 0 (ourmem's half-life). */
  public static final double HALF_LIFE_DAYS = 30;

  /** How strongly importance stretches the half-life: {@code e^(1.5·importance)}. */
  public static final double IMPORTANCE_MODULATION = 1.5;

  /** The composite's weights: recency, frequency, importance × confidence. */
  public static final double RECENCY_WEIGHT = 0.4;

  public static final double FREQUENCY_WEIGHT = 0.3;
  public static final double INTRINSIC_WEIGHT = 0.3;

  /** Accesses at which {@link #frequency} saturates: the access count a core memory needs. */
  static final int FREQUENCY_SATURATION = Tiers.CORE_ACCESSES;

  /** Recency in (0, 1]: 1 for a memory used just now. */
  public static double recency(Memory m, Instant now) {
    Instant last = m.lastAccessedAt() != null ? m.lastAccessedAt() : m.createdAt();
    double days = Math.max(0, Duration.between(last, now).toMillis() / 86_400_000.0);
    double lambda =
        Math.log(2) / (HALF_LIFE_DAYS * Math.exp(IMPORTANCE_MODULATION * m.importance()));
    return Math.exp(-lambda * Math.pow(days, beta(m.tier())));
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
    return RECENCY_WEIGHT * recency(m, now)
        + FREQUENCY_WEIGHT * frequency(m.accessCount())
        + INTRINSIC_WEIGHT * m.importance() * m.confidence();
  }

  /**
   * The composite floored per tier as ourmem does (core 0.9, working 0.7, peripheral 0.5): the
   * least a memory's decay factor can fall to in ranking. A floor bounds the score from below, so a
   * floored score never falls under it and cannot drive demotion; {@link Tiers} compares the raw
   * {@link #composite} with its own thresholds instead.
   */
  public static double floored(Memory m, Instant now) {
    return Math.max(floor(m.tier()), composite(m, now));
  }

  /** The Weibull shape of a tier's recency: core fades slowest. */
  public static double beta(Tier tier) {
    return switch (tier) {
      case CORE -> 0.8;
      case WORKING -> 1.0;
      case PERIPHERAL -> 1.3;
    };
  }

  /** The least a tier's floored score falls to. */
  public static double floor(Tier tier) {
    return switch (tier) {
      case CORE -> 0.9;
      case WORKING -> 0.7;
      case PERIPHERAL -> 0.5;
    };
  }
}
