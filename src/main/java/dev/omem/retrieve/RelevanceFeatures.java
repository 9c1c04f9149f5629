package dev.omem.retrieve;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * What {@link RelevanceModel} reads about one (query, memory) pair: the retrievers' scores and
 * ranks, how the memory stands against the query's other candidates, and how many of the query's
 * content words it holds. Computed over the candidates of one search, best fused score first.
 */
final class RelevanceFeatures {
  private RelevanceFeatures() {}

  /** The features' names, in the order of the vectors and of the weights file. */
  static final List<String> NAMES =
      List.of(
          "cosine", // the vector retriever's cosine (the lowest it returned when it missed this
          // one)
          "cosine_minus_best", // against the query's best candidate: ≤ 0
          "cosine_minus_top10_mean", // against the query's ten best: the query's own scale
          "best_cosine", // the query's best cosine: how well anything stored answers it
          "bm25", // BM25 divided by the query's best BM25; 0 when BM25 missed it
          "coverage", // share of the query's content words (stemmed) found in the memory
          "in_both", // 1 when both retrievers found it
          "log_vector_rank", // ln(1 + rank) in the vector lists (the better of the plain and the
          // centred), 0-based; ln(101) when both missed
          "log_bm25_rank", // the same in the BM25 list
          "fused", // the fused, normalised score (with context expansion)
          "gap_to_next", // fused score minus the next candidate's
          "log_fused_rank", // ln(1 + place in the fused list)
          "log_query_words", // ln(1 + the query's content words)
          // Against the background of generic prompts (BackgroundPrompts), CSLS-style:
          "cosine_minus_background", // cosine minus the query's level among generic prompts
          "best_minus_background", // the query's best cosine minus that level
          "best_minus_background_nearest", // best cosine minus the nearest generic prompt's
          "memory_hubness", // the memory's level among generic prompts: close to everything
          "idf_coverage", // coverage weighted by the words' rarity among the candidates
          "query_words_in_store", // share of the query's content words any candidate holds
          "memory_hubness_local"); // the memory's level among the other candidates' vectors

  static final int SIZE = NAMES.size();

  /** The features that read the background of generic prompts (0 without it). */
  static final java.util.Set<String> BACKGROUND =
      java.util.Set.of(
          "cosine_minus_background",
          "best_minus_background",
          "best_minus_background_nearest",
          "memory_hubness");

  private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern CAMEL = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})");
  private static final double MISSED_RANK = Math.log(1 + RankingWeights.CANDIDATES);

  /** Candidates' texts read once, not on every search that ranks them. */
  private static final ContentWordsCache TEXT_WORDS =
      new ContentWordsCache(ContentWordsCache.MAX_CHARS, t -> contentWords(t, false));

  /**
   * The feature vectors of {@code list} (sorted by fused score, rows loaded), one per candidate.
   *
   * @param query the search text as the caller wrote it
   */
  static double[][] of(String query, List<Candidate> list) {
    return of(query, list, null, new float[0][]);
  }

  /**
   * The same, with the query's vector and the background's (BackgroundPrompts) for the features
   * against the background; without them those read 0.
   */
  static double[][] of(
      String query, List<Candidate> list, float[] queryVector, float[][] background) {
    return of(query, list, list.size(), queryVector, background);
  }

  /**
   * The same, each row described against the first {@code reference} candidates alone (the query's
   * best and top-10 cosine, each memory's local hubness among them, the lexicon's idf and in-store
   * share): the rows after them (the centred list's best below the fused window, RetrievalPipeline)
   * then never change how the window's own rows read, and are read on the same scale.
   */
  static double[][] of(
      String query,
      List<Candidate> list,
      int reference,
      float[] queryVector,
      float[][] background) {
    Set<String> queryWords = contentWords(QueryReader.keywords(query), true);
    // Each candidate's words once, for the coverage and the lexicon (tokenising and stemming 50
    // texts twice was a tenth of a search's CPU, issue 15's profile).
    List<Set<String>> texts = Lexicon.texts(list);
    Lexicon lexicon = Lexicon.ofTexts(queryWords, texts, reference);
    double[] hubness = localHubnessAmong(list, reference);
    double queryLevel = BackgroundPrompts.level(queryVector, background);
    double queryNearest = BackgroundPrompts.nearest(queryVector, background);
    double lowestCosine = Double.NaN;
    double bestCosine = Double.NaN;
    double[] top =
        list.subList(0, reference).stream()
            .mapToDouble(c -> c.cosine)
            .filter(d -> !Double.isNaN(d))
            .toArray();
    for (double d : top) {
      lowestCosine = Double.isNaN(lowestCosine) ? d : Math.min(lowestCosine, d);
      bestCosine = Double.isNaN(bestCosine) ? d : Math.max(bestCosine, d);
    }
    java.util.Arrays.sort(top);
    double top10 = 0;
    int n10 = Math.min(10, top.length);
    for (int i = 0; i < n10; i++) {
      top10 += top[top.length - 1 - i];
    }
    top10 = n10 == 0 ? 0 : top10 / n10;
    double best = Double.isNaN(bestCosine) ? 0 : bestCosine;
    double[][] out = new double[list.size()][];
    for (int i = 0; i < list.size(); i++) {
      Candidate c = list.get(i);
      double cos =
          !Double.isNaN(c.cosine) ? c.cosine : Double.isNaN(lowestCosine) ? 0 : lowestCosine;
      // Ties share their place and their gap, so that copies of one text read alike.
      int first = i;
      while (first > 0 && list.get(first - 1).score == c.score) {
        first--;
      }
      // A reference row's next is within the reference, as though the rows after it were not there.
      int end = i < reference ? reference : list.size();
      int after = i + 1;
      while (after < end && list.get(after).score == c.score) {
        after++;
      }
      double next = after < end ? list.get(after).score : 0;
      out[i] =
          new double[] {
            cos,
            cos - best,
            cos - top10,
            best,
            c.bm25,
            coverage(queryWords, texts.get(i)),
            c.bm25 > 0 && !Double.isNaN(c.cosine) ? 1 : 0,
            vectorPlace(c),
            c.bm25Rank < 0 ? MISSED_RANK : Math.log(1 + c.bm25Rank),
            c.score,
            c.score - next,
            Math.log(1 + first),
            Math.log(1 + queryWords.size()),
            cos - queryLevel,
            best - queryLevel,
            best - queryNearest,
            BackgroundPrompts.level(c.row == null ? null : c.row.vector(), background),
            lexicon.idfCoverage(i),
            lexicon.inStore(),
            hubness[i]
          };
    }
    return out;
  }

  /**
   * ln(1 + the candidate's better place of the vector retriever's two lists), {@link #MISSED_RANK}
   * when neither found it. A distinct fact among thousands of near-copies about the same service
   * sits far down the plain cosine list and near the top of the centred one (the query centred on
   * the store's mean vector); read by its plain place alone the model ranked such a fact 10th-19th
   * (issue 19, BENCHMARKS.md "Session 18: the vector place read as the better of the two lists").
   */
  private static double vectorPlace(Candidate c) {
    int plain = c.vectorRank;
    int centred = c.centredRank;
    int best = plain < 0 ? centred : centred < 0 ? plain : Math.min(plain, centred);
    return best < 0 ? MISSED_RANK : Math.log(1 + best);
  }

  /**
   * Mean cosine of candidate {@code i}'s vector to its {@link BackgroundPrompts#K} nearest among
   * the other candidates: hubness measured in the store itself, whatever its domain. 0 without
   * vectors.
   */
  static double localHubness(List<Candidate> list, int i) {
    return localHubness(list)[i];
  }

  /**
   * {@link #localHubness(List, int)} of every candidate, each pair's cosine computed once by {@link
   * PairDots} (the same sums in the same order as {@link BackgroundPrompts#level}, so the same
   * numbers): the candidates' 50 x 49 products per search were a fifth of its Java CPU (issue 15's
   * profile).
   */
  static double[] localHubness(List<Candidate> list) {
    return localHubnessAmong(list, list.size());
  }

  /** The same, each candidate's nearest taken among the first {@code reference} alone. */
  static double[] localHubnessAmong(List<Candidate> list, int reference) {
    int n = list.size();
    float[][] v = new float[n][];
    for (int i = 0; i < n; i++) {
      Candidate c = list.get(i);
      v[i] = c.row == null ? null : c.row.vector();
    }
    double[][] sims = PairDots.of(v, reference);
    double[] out = new double[n];
    double[] row = new double[n];
    for (int i = 0; i < n; i++) {
      if (v[i] == null) {
        continue;
      }
      int m = 0;
      for (int j = 0; j < reference; j++) {
        if (j != i && v[j] != null) {
          row[m++] = sims[i][j];
        }
      }
      out[i] = BackgroundPrompts.topMean(java.util.Arrays.copyOf(row, m));
    }
    return out;
  }

  /**
   * The query's content words over the candidates' texts: which candidate holds which, and how rare
   * each is among them (idf = ln((n + 1) / (df + 0.5)), BM25's form; a word no candidate holds is
   * the rarest).
   */
  record Lexicon(double[] idfCoverage, double inStoreShare) {
    double idfCoverage(int i) {
      return idfCoverage[i];
    }

    double inStore() {
      return inStoreShare;
    }

    static Lexicon of(Set<String> queryWords, List<Candidate> list) {
      return ofTexts(queryWords, texts(list));
    }

    /** Each candidate's content words (stemmed, stop words kept), in the list's order. */
    static List<Set<String>> texts(List<Candidate> list) {
      List<Set<String>> texts = new java.util.ArrayList<>(list.size());
      for (Candidate c : list) {
        texts.add(TEXT_WORDS.of(c.row == null ? "" : c.row.memory().content()));
      }
      return texts;
    }

    static Lexicon ofTexts(Set<String> queryWords, List<Set<String>> texts) {
      return ofTexts(queryWords, texts, texts.size());
    }

    /** The same, the idf and the in-store share counted over the first {@code reference} texts. */
    static Lexicon ofTexts(Set<String> queryWords, List<Set<String>> texts, int reference) {
      int n = texts.size();
      java.util.Map<String, Double> idf = new java.util.HashMap<>();
      double total = 0;
      int held = 0;
      for (String w : queryWords) {
        int df = 0;
        for (Set<String> t : texts.subList(0, reference)) {
          df += t.contains(w) ? 1 : 0;
        }
        double v = Math.log((reference + 1) / (df + 0.5));
        idf.put(w, v);
        total += v;
        held += df > 0 ? 1 : 0;
      }
      double[] cov = new double[n];
      for (int i = 0; i < n && total > 0; i++) {
        double s = 0;
        for (String w : queryWords) {
          s += texts.get(i).contains(w) ? idf.get(w) : 0;
        }
        cov[i] = s / total;
      }
      return new Lexicon(cov, queryWords.isEmpty() ? 0 : (double) held / queryWords.size());
    }
  }

  /** Share of {@code queryWords} that {@code text} holds (stemmed); 0 when the query has none. */
  static double coverage(Set<String> queryWords, String text) {
    return coverage(queryWords, contentWords(text, false));
  }

  /** {@link #coverage(Set, String)} over a text's {@link #contentWords} already read. */
  static double coverage(Set<String> queryWords, Set<String> words) {
    if (queryWords.isEmpty()) {
      return 0;
    }
    int found = 0;
    for (String w : queryWords) {
      if (words.contains(w)) {
        found++;
      }
    }
    return (double) found / queryWords.size();
  }

  /**
   * Lower-cased, stemmed words of {@code text}: split at anything not a letter or digit and at
   * camelCase humps (so {@code bookingId} holds "booking"), the whole identifier kept too; English
   * stop words dropped from a query.
   */
  static Set<String> contentWords(String text, boolean dropStopWords) {
    Set<String> out = new HashSet<>();
    EnglishStemmer stemmer = new EnglishStemmer();
    for (String token : SPLIT.split(text)) {
      if (token.isEmpty()) {
        continue;
      }
      String[] parts = CAMEL.split(token);
      for (String p : parts.length > 1 ? concat(parts, token) : parts) {
        String w = p.toLowerCase(Locale.ROOT);
        if (w.length() < 2
            || (dropStopWords && EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(w))) {
          continue;
        }
        stemmer.setCurrent(w);
        stemmer.stem();
        out.add(stemmer.getCurrent());
      }
    }
    return out;
  }

  private static String[] concat(String[] parts, String whole) {
    String[] all = java.util.Arrays.copyOf(parts, parts.length + 1);
    all[parts.length] = whole;
    return all;
  }
}
