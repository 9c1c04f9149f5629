package dev.omem.index;

import java.util.List;

/**
 * What one retriever found, best first.
 *
 * @param fallback null when the Lucene index answered; else why and how the store answered instead
 *     (e.g. "rebuilding, 40%: cosine over the stored vectors"), for the search trace
 */
public record IndexHits(List<IndexHit> hits, String fallback) {}
