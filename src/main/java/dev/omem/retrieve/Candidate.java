package dev.omem.retrieve;

import dev.omem.store.StoredMemory;

/** A memory moving through the pipeline: its retriever scores, running score, and row. */
final class Candidate {
  final String id;

  /** BM25 score divided by the query's best BM25 score; 0 when BM25 did not find it. */
  double bm25;

  /** Cosine similarity to the query; NaN when the vector retriever did not find it. */
  double cosine = Double.NaN;

  /** Place in the BM25 list (0 is first); -1 when BM25 did not find it. */
  int bm25Rank = -1;

  /** Place in the vector list (0 is first); -1 when the vector retriever did not find it. */
  int vectorRank = -1;

  /**
   * Place in the vector retriever's centred list (0 is first; the query centred on the store's mean
   * vector, IndexSynchronizer.searchVectorPools); -1 when that list did not find it.
   */
  int centredRank = -1;

  double score;
  StoredMemory row;

  Candidate(String id) {
    this.id = id;
  }

  /** This candidate as it is now, to be ranked apart from it. */
  Candidate copy() {
    Candidate c = new Candidate(id);
    c.bm25 = bm25;
    c.cosine = cosine;
    c.bm25Rank = bm25Rank;
    c.vectorRank = vectorRank;
    c.centredRank = centredRank;
    c.score = score;
    c.row = row;
    return c;
  }
}
