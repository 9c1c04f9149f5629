package dev.omem.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.index.FieldInvertState;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.Similarity.SimScorer;
import org.apache.lucene.util.Version;

/**
 * BM25 over a reader and the unread writes laid over it, scored as a reader reopened with those
 * writes would score them: the index-wide statistics (documents with text, term frequencies,
 * lengths) are the reader's plus the unread documents', for the reader's documents ({@link
 * #searcher}) and the unread ones ({@link #score}) alike. So a search needs no reopen for a store
 * to be searchable (issue 19, session 15). A replaced document still counts in the reader's
 * statistics, as it does in a reopened reader until a merge drops it.
 */
final class UnreadText {
  /** The writer's similarity (IndexWriterConfig's default), so norms and scores agree. */
  private static final BM25Similarity SIMILARITY = new BM25Similarity();

  private static final int MAJOR = Version.LATEST.major;

  /** One unread document's text as the writer indexed it: term frequencies and the norm. */
  record Terms(Map<String, Integer> freqs, long norm, int tokens) {}

  private UnreadText() {}

  /** How the index writer would invert {@code text} into {@code field}. */
  static Terms of(Analyzer analyzer, String field, String text) {
    Map<String, Integer> freqs = new HashMap<>();
    int length = 0;
    int overlaps = 0;
    int position = -1;
    int maxFreq = 0;
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        int step = inc.getPositionIncrement();
        position += step;
        if (step == 0) {
          overlaps++;
        }
        length++;
        maxFreq = Math.max(maxFreq, freqs.merge(term.toString(), 1, Integer::sum));
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FieldInvertState state =
        new FieldInvertState(
            MAJOR,
            field,
            IndexOptions.DOCS_AND_FREQS_AND_POSITIONS,
            position,
            length,
            overlaps,
            0,
            maxFreq,
            freqs.size());
    long norm = length == 0 ? 0 : SIMILARITY.computeNorm(state);
    return new Terms(Map.copyOf(freqs), norm, length);
  }

  /** The text statistics of a set of unread documents, added to a reader's. */
  static final class Overlay {
    private final String field;
    private final List<Terms> docs;
    private final int docCount;
    private final long sumTotalTermFreq;
    private final long sumDocFreq;

    Overlay(String field, List<Terms> docs) {
      this.field = field;
      this.docs = docs;
      int count = 0;
      long ttf = 0;
      long df = 0;
      for (Terms t : docs) {
        if (t.tokens() > 0) {
          count++;
          ttf += t.tokens();
          df += t.freqs().size();
        }
      }
      this.docCount = count;
      this.sumTotalTermFreq = ttf;
      this.sumDocFreq = df;
    }

    CollectionStatistics collection(CollectionStatistics reader, int readerMaxDoc) {
      if (docCount == 0) {
        return reader;
      }
      return new CollectionStatistics(
          field,
          readerMaxDoc + docs.size(),
          (reader == null ? 0 : reader.docCount()) + docCount,
          (reader == null ? 0 : reader.sumTotalTermFreq()) + sumTotalTermFreq,
          (reader == null ? 0 : reader.sumDocFreq()) + sumDocFreq);
    }

    /** The term's statistics over the reader's documents ({@code docFreq} may be 0) and these. */
    TermStatistics term(String text, long docFreq, long totalTermFreq) {
      long df = docFreq;
      long ttf = totalTermFreq;
      for (Terms t : docs) {
        Integer f = t.freqs().get(text);
        if (f != null) {
          df++;
          ttf += f;
        }
      }
      return df == 0
          ? null
          : new TermStatistics(new org.apache.lucene.util.BytesRef(text), df, ttf);
    }
  }

  /** A searcher of {@code reader} whose text statistics include {@code overlay}'s documents. */
  static IndexSearcher searcher(IndexReader reader, Overlay overlay) {
    return new IndexSearcher(reader) {
      @Override
      public CollectionStatistics collectionStatistics(String f) throws IOException {
        CollectionStatistics base = super.collectionStatistics(f);
        return f.equals(overlay.field) ? overlay.collection(base, reader.maxDoc()) : base;
      }

      @Override
      public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq)
          throws IOException {
        if (!term.field().equals(overlay.field)) {
          return super.termStatistics(term, docFreq, totalTermFreq);
        }
        return overlay.term(term.text(), docFreq, totalTermFreq);
      }
    };
  }

  /**
   * Each query term's per-segment state and reader-wide statistics, sought once per segment: the
   * text query over the reader ({@link MemoryIndex}) takes them, so its weight does not seek again,
   * and so do {@link #scorers}. Seeking each term three times per segment (the query's weight, then
   * {@code docFreq} and {@code totalTermFreq} for the unread documents' scorers) was 42 of 571
   * samples of a JFR profile of main under the team load (issue 19, session 17).
   */
  static TermStates[] states(IndexSearcher searcher, String field, List<String> terms)
      throws IOException {
    TermStates[] out = new TermStates[terms.size()];
    for (int i = 0; i < terms.size(); i++) {
      out[i] = TermStates.build(searcher, new Term(field, terms.get(i)), true);
    }
    return out;
  }

  /**
   * One scorer per query term, over {@code searcher}'s combined statistics (null: absent); {@code
   * states} are {@link #states} of the same searcher and terms.
   */
  static SimScorer[] scorers(
      IndexSearcher searcher, String field, List<String> terms, TermStates[] states)
      throws IOException {
    CollectionStatistics collection = searcher.collectionStatistics(field);
    SimScorer[] out = new SimScorer[terms.size()];
    if (collection == null) {
      return out;
    }
    for (int i = 0; i < terms.size(); i++) {
      int df = states[i].docFreq();
      TermStatistics stats =
          searcher.termStatistics(
              new Term(field, terms.get(i)), df, df == 0 ? 0 : states[i].totalTermFreq());
      out[i] = stats == null ? null : SIMILARITY.scorer(1f, collection, stats);
    }
    return out;
  }

  /** The document's BM25 score for the query's terms, or NaN when it holds none of them. */
  static float score(Terms doc, List<String> terms, SimScorer[] scorers) {
    float sum = 0;
    boolean any = false;
    for (int i = 0; i < terms.size(); i++) {
      Integer f = doc.freqs().get(terms.get(i));
      if (f != null && scorers[i] != null) {
        sum += scorers[i].score(f, doc.norm());
        any = true;
      }
    }
    return any ? sum : Float.NaN;
  }
}
