package dev.omem.ingest;

import dev.omem.domain.Category;
import java.util.List;
import java.util.Optional;

/**
 * Decides how a new fact relates to the most similar stored memories. omem's own {@code Reconciler}
 * decides by similarity and rules; an LLM judge, when one is configured, is asked first and its
 * verdict checked against the same protections.
 */
public interface ReconcileJudge {

  /**
   * A stored memory the new fact may relate to.
   *
   * @param similarity cosine similarity of the two texts' embeddings, in [-1, 1]
   * @param explicit stored on purpose (memory_store, the user), not extracted
   */
  record Neighbour(
      String id, String content, Category category, double similarity, boolean explicit) {}

  /**
   * The judge's decision. {@code targetId} names the neighbour acted on (null for CREATE); {@code
   * mergedText} is the combined text of a MERGE (null otherwise).
   */
  record Verdict(Decision decision, String targetId, String mergedText) {}

  /**
   * The decision for {@code fact} given its {@code neighbours} (most similar first, possibly
   * empty), or empty when this judge cannot decide (the caller then uses the rules).
   */
  Optional<Verdict> judge(FactExtractor.Fact fact, List<Neighbour> neighbours);
}
