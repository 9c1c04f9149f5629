package dev.omem.retrieve;

import dev.omem.store.StoredMemory;

/** A memory moving through the pipeline: its retriever scores, running score, and row. */
final class Candidate {
  final String id;

  /** BM25 score divided by the query's best BM25 score; 0 when BM25 did not find it. */
  double bm25;

  /** Cosine similarity to the query; NaN when the vector retriever did not find it. */
  double cosine = Double.NaN;

  double score;
  StoredMemory row;

  Candidate(String id) {
    this.id = id;
  }
}
