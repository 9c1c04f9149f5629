package dev.omem.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.VectorUtil;

/**
 * The plain cosine of a query to each of a search's hits, read from the hits' stored vectors: the
 * centred search ({@link StoreCentroid}) chooses the candidates, the ranking downstream reads the
 * cosine it was fitted on.
 */
final class PlainCosines {
  private PlainCosines() {}

  /** Cosine of {@code query} to each hit's vector in {@code field}, in the hits' order. */
  static float[] of(IndexReader reader, String field, float[] query, ScoreDoc[] hits)
      throws IOException {
    float[] out = new float[hits.length];
    Integer[] byDoc = new Integer[hits.length];
    for (int i = 0; i < hits.length; i++) {
      byDoc[i] = i;
    }
    // A segment's vectors are read forward only: visit the hits in document order.
    Arrays.sort(byDoc, Comparator.comparingInt(i -> hits[i].doc));
    List<LeafReaderContext> leaves = reader.leaves();
    int leafIndex = -1;
    FloatVectorValues values = null;
    for (int i : byDoc) {
      int doc = hits[i].doc;
      int sub = ReaderUtil.subIndex(doc, leaves);
      if (sub != leafIndex) {
        leafIndex = sub;
        values = leaves.get(sub).reader().getFloatVectorValues(field);
      }
      int local = doc - leaves.get(sub).docBase;
      if (values != null && values.advance(local) == local) {
        out[i] = VectorUtil.dotProduct(query, values.vectorValue());
      } else {
        out[i] = Float.NaN;
      }
    }
    return out;
  }
}
