package dev.omem.index;

import java.util.List;

/**
 * The vector retriever's two lists, best first, each hit with its plain cosine to the query.
 *
 * @param plain nearest by cosine
 * @param centred nearest to the query centred on the store's mean vector ({@link StoreCentroid});
 *     empty when the store, not the index, answered (it would repeat {@code plain})
 * @param fallback null when the Lucene index answered; else why and how the store answered
 */
public record VectorPools(List<IndexHit> plain, List<IndexHit> centred, String fallback) {}
