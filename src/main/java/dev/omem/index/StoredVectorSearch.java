package dev.omem.index;

import dev.omem.domain.MemoryFilter;
import dev.omem.domain.VectorModel;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import dev.omem.store.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * The search that answers from SQLite while the Lucene index is rebuilt or damaged: cosine over the
 * stored vectors, and a substring match of the query's words over the stored text. It reads only
 * the rows {@code MemoryFilter} selects (the same partition, scopes and states as the index's
 * filter), and answers in the index's shape: ids and raw scores, best first.
 */
public final class StoredVectorSearch {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private final MemoryRepository repo;
  private final String model;

  public StoredVectorSearch(MemoryRepository repo, String model) {
    this.repo = repo;
    this.model = model;
  }

  /**
   * Memories whose text contains the query's words, scored by the share of its words found (a word
   * ending in "s" also matches without it): the keyword retriever's stand-in.
   */
  public List<IndexHit> searchText(String query, MemoryFilter filter, int k) {
    List<String> words = words(query);
    if (words.isEmpty()) {
      return List.of();
    }
    TopK top = new TopK(k);
    repo.forEachStored(
        filter,
        row -> {
          if (!filter.matches(row.memory())) {
            return;
          }
          String text = row.memory().content().toLowerCase(Locale.ROOT);
          int found = 0;
          for (String w : words) {
            if (text.contains(w)
                || (w.length() > 3
                    && w.endsWith("s")
                    && text.contains(w.substring(0, w.length() - 1)))) {
              found++;
            }
          }
          if (found > 0) {
            top.offer(row.memory().id(), (float) found / words.size());
          }
        });
    return top.best();
  }

  /** Nearest stored vectors of this index's model by cosine, best first. */
  public List<IndexHit> searchVector(float[] vector, MemoryFilter filter, int k) {
    TopK top = new TopK(k);
    repo.forEachStored(
        filter,
        row -> {
          if (filter.matches(row.memory()) && comparable(row, vector)) {
            top.offer(row.memory().id(), Vectors.dot(vector, row.vector()));
          }
        });
    return top.best();
  }

  private boolean comparable(StoredMemory row, float[] vector) {
    return row.vector() != null
        && VectorModel.sameModel(model, row.model())
        && row.vector().length == vector.length;
  }

  /** The query's distinct lower-case words, without English stop words. */
  static List<String> words(String query) {
    Set<String> out = new LinkedHashSet<>();
    var m = WORD.matcher(query.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group();
      if (w.length() > 1 && !EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(w)) {
        out.add(w);
      }
    }
    return List.copyOf(out);
  }

  /** The k best (score, then id for a stable order) of a stream of hits. */
  private static final class TopK {
    private static final Comparator<IndexHit> WORST_FIRST =
        Comparator.comparingDouble(IndexHit::score)
            .thenComparing(IndexHit::id, Comparator.reverseOrder());

    private final int k;
    private final PriorityQueue<IndexHit> heap = new PriorityQueue<>(WORST_FIRST);

    TopK(int k) {
      this.k = k;
    }

    void offer(String id, float score) {
      if (k <= 0) {
        return;
      }
      heap.add(new IndexHit(id, score));
      if (heap.size() > k) {
        heap.poll();
      }
    }

    List<IndexHit> best() {
      List<IndexHit> out = new ArrayList<>(heap);
      out.sort(WORST_FIRST.reversed());
      return out;
    }
  }
}
