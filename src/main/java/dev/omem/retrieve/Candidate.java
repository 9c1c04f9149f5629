package dev.omem.retrieve;

import dev.omem.store.StoredMemory;

/** A memory moving through the pipeline: its row (once loaded) and its running score. */
final class Candidate {
  final String id;
  double score;
  int bm25Rank; // 1-based, 0 = not found by BM25
  int vectorRank;
  double cosine = Double.NaN;
  StoredMemory row;

  Candidate(String id) {
    this.id = id;
  }
}
