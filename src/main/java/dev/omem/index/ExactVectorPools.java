package dev.omem.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * The vector retriever's two lists from one exact pass: the {@code k} documents nearest to the
 * query by plain cosine ({@code q · d}), and the {@code k} nearest to the query centred on the
 * store's mean ({@code q · d − μ · d}, {@link StoreCentroid}, with {@code μ · d} kept per segment).
 * Every passing vector is read and multiplied once; a second kNN for the centred list read and
 * multiplied them all again (about 16.5 ms of thread CPU per search at 100k, session 13). Each
 * hit's score is its plain cosine, in both lists. Only for indexes whose segments are all scored
 * exactly ({@link NearestVectorsQuery#EXACT_MAX}); documents tied on a score keep the lower doc id
 * first.
 */
final class ExactVectorPools {
  private ExactVectorPools() {}

  /**
   * Both lists, best first; their scores are plain cosines.
   *
   * @param centredRanks what ranked each of {@code centred}: {@code q · d − μ · d}
   * @param mean the μ the pass centred on ({@link StoreCentroid#reference}); null when the index
   *     held no vector to take one from (the centred list then ranks by {@code q · d})
   */
  record Pools(ScoreDoc[] plain, ScoreDoc[] centred, float[] centredRanks, float[] mean) {
    /** What the pass would rank {@code vector} by in the centred list: {@code q · v − μ · v}. */
    float centredRank(float[] query, float[] vector) {
      float dot = VectorUtil.dotProduct(query, vector);
      return mean == null ? dot : dot - VectorUtil.dotProduct(mean, vector);
    }
  }

  static Pools search(
      IndexSearcher searcher,
      String field,
      float[] query,
      Query filter,
      int k,
      StoreCentroid centroid,
      List<float[]> unread)
      throws IOException {
    Best plain = new Best(k);
    Best centred = new Best(k);
    StoreCentroid.Reference mean =
        centroid.reference(searcher.getIndexReader(), query.length, unread);
    Weight passes =
        searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      Scorer scorer = passes.scorer(leaf);
      if (values == null || scorer == null || values.dimension() != query.length) {
        continue;
      }
      float[] meanDots =
          mean == null ? null : centroid.meanDots(leaf.reader(), mean.mean(), mean.version());
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator docs = scorer.iterator();
      for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        if (values.docID() < d && values.advance(d) != d) {
          continue;
        }
        if (values.docID() != d) {
          continue;
        }
        float dot = VectorUtil.dotProduct(query, values.vectorValue());
        int doc = leaf.docBase + d;
        plain.offer(dot, dot, doc);
        float shared = meanDots == null || Float.isNaN(meanDots[d]) ? 0 : meanDots[d];
        centred.offer(dot - shared, dot, doc);
      }
    }
    ScoreDoc[] byCentred = centred.sorted();
    return new Pools(plain.sorted(), byCentred, centred.ranks(), mean == null ? null : mean.mean());
  }

  /** The k best by a rank score, each remembering its plain cosine: a bounded min-heap. */
  private static final class Best {
    private final float[] rank;
    private final float[] cosine;
    private final int[] doc;
    private int size;

    Best(int k) {
      rank = new float[k];
      cosine = new float[k];
      doc = new int[k];
    }

    void offer(float r, float cos, int d) {
      if (rank.length == 0) {
        return;
      }
      if (size < rank.length) {
        rank[size] = r;
        cosine[size] = cos;
        doc[size] = d;
        up(size++);
      } else if (worse(0, r, d)) {
        rank[0] = r;
        cosine[0] = cos;
        doc[0] = d;
        down(0);
      }
    }

    /** Whether heap entry {@code i} ranks below a candidate of rank {@code r} and doc {@code d}. */
    private boolean worse(int i, float r, int d) {
      return rank[i] < r || (rank[i] == r && doc[i] > d);
    }

    private void up(int i) {
      while (i > 0) {
        int parent = (i - 1) / 2;
        if (!worse(i, rank[parent], doc[parent])) {
          return;
        }
        swap(i, parent);
        i = parent;
      }
    }

    private void down(int i) {
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int least = i;
        if (l < size && worse(l, rank[least], doc[least])) {
          least = l;
        }
        if (r < size && worse(r, rank[least], doc[least])) {
          least = r;
        }
        if (least == i) {
          return;
        }
        swap(i, least);
        i = least;
      }
    }

    private void swap(int a, int b) {
      float r = rank[a];
      rank[a] = rank[b];
      rank[b] = r;
      float c = cosine[a];
      cosine[a] = cosine[b];
      cosine[b] = c;
      int d = doc[a];
      doc[a] = doc[b];
      doc[b] = d;
    }

    /** Best first, each with its plain cosine; {@link #ranks} then holds their rank scores. */
    ScoreDoc[] sorted() {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order, (a, b) -> worse(a, rank[b], doc[b]) ? 1 : worse(b, rank[a], doc[a]) ? -1 : 0);
      ScoreDoc[] out = new ScoreDoc[size];
      float[] ranks = new float[size];
      for (int i = 0; i < size; i++) {
        out[i] = new ScoreDoc(doc[order[i]], cosine[order[i]]);
        ranks[i] = rank[order[i]];
      }
      sortedRanks = ranks;
      return out;
    }

    private float[] sortedRanks = new float[0];

    /** The rank scores of the last {@link #sorted} answer, in its order. */
    float[] ranks() {
      return sortedRanks;
    }
  }
}
