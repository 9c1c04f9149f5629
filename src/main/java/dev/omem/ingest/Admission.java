package dev.omem.ingest;

import java.util.Locale;

/**
 * The admission score of one candidate fact and its parts, each in [0, 1], for the ingest trace.
 *
 * @param admitted whether {@code score >= threshold}
 * @param score the weighted sum of the parts
 * @param threshold the threshold it was compared with
 * @param utility content words and named specifics
 * @param confidence the extractor's confidence
 * @param novelty 1 for nothing similar stored, 0 for a stored twin
 * @param recency the turn's position in its conversation: 0 first, 1 last
 * @param categoryPrior how durable facts of its category usually are
 */
public record Admission(
    boolean admitted,
    double score,
    double threshold,
    double utility,
    double confidence,
    double novelty,
    double recency,
    double categoryPrior) {

  /** One line for a trace: "admitted 0.71 ≥ 0.55 (utility 0.80, confidence 0.90, …)". */
  public String reason() {
    return String.format(
        Locale.ROOT,
        "%s %.2f %s %.2f (utility %.2f, confidence %.2f, novelty %.2f, recency %.2f,"
            + " category %.2f)",
        admitted ? "admitted" : "rejected",
        score,
        admitted ? "≥" : "<",
        threshold,
        utility,
        confidence,
        novelty,
        recency,
        categoryPrior);
  }
}
