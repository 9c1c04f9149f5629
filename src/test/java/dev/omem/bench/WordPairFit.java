package dev.omem.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * Session 14's third candidate (issue 13; docs/relevance/threshold-rule.md, written before the
 * run): a table of (prompt word, memory word) weights learned from the training projects' candidate
 * pairs, shrunk toward no information (α = {@value #ALPHA}) and kept only where the relevant
 * co-occurrences come from at least {@value #MIN_PROJECTS} training projects. Per pair: {@code
 * word_pairs} (mean over the prompt's words of the best weight among the memory's) and that minus
 * the prompt's best, in {@link TokenMaxSimFit#CARRIERS}' first two columns; nested as
 * TokenMaxSimFit nests, the training projects' values from tables built without their own project.
 *
 * <p>Run: java -Xmx3g -cp target/classes:target/test-classes:target/omem.jar
 * dev.omem.bench.WordPairFit --data ../shared/bench/coding-recall-dev.json --cache
 * &lt;dir&gt;/pairs.tsv
 */
public final class WordPairFit {
  /** Shrinkage toward the prior relevant rate, in pairs (set before the run, not tuned). */
  static final double ALPHA = 20;

  /** Training projects a word pair's relevant co-occurrences must come from. */
  static final int MIN_PROJECTS = 2;

  private WordPairFit() {}

  /** The learned weights: (prompt word + "\t" + memory word) → w. */
  record Table(Map<String, Double> w) {
    double weight(String a, String b) {
      return w.getOrDefault(a + "\t" + b, 0.0);
    }
  }

  /** One pair's words: the prompt's and the memory's, with its relevance and project. */
  record Words(String project, Set<String> prompt, Set<String> memory, boolean relevant) {}

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(Path.of(o.get("data")));
    List<List<String>> pairMem = TokenMaxSimFit.pairMemories(cache, prompts.size());
    Map<String, Set<String>> memWords = new HashMap<>();
    t.memories().forEach((k, v) -> memWords.put(k, words(v)));
    List<List<Words>> byPrompt = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      Set<String> q = words(t.prompts().get(i));
      List<Words> ws = new ArrayList<>();
      for (int j = 0; j < prompts.get(i).pairs().size(); j++) {
        ws.add(
            new Words(
                prompts.get(i).project(),
                q,
                memWords.get(pairMem.get(i).get(j)),
                prompts.get(i).pairs().get(j).relevant()));
      }
      byPrompt.add(ws);
    }
    List<Words> all = byPrompt.stream().flatMap(List::stream).toList();
    int[] carrier =
        TokenMaxSimFit.CARRIERS.stream()
            .mapToInt(RelevanceFit.featureNamesPublic()::indexOf)
            .toArray();
    Map<String, List<RelevanceFit.Prompt>> memo = new HashMap<>();
    Function<String, List<RelevanceFit.Prompt>> data =
        out ->
            memo.computeIfAbsent(
                out,
                p -> {
                  // Each training project scored by a table built without it; p by all of them.
                  Map<String, Table> tables = new HashMap<>();
                  List<RelevanceFit.Prompt> res = new ArrayList<>();
                  for (int i = 0; i < prompts.size(); i++) {
                    RelevanceFit.Prompt q = prompts.get(i);
                    String own = q.project();
                    Table tb =
                        tables.computeIfAbsent(
                            own,
                            x ->
                                table(
                                    all.stream()
                                        .filter(
                                            w ->
                                                !w.project().equals(p)
                                                    && (x.equals(p) || !w.project().equals(x)))
                                        .toList()));
                    double[] f = new double[q.pairs().size()];
                    for (int j = 0; j < f.length; j++) {
                      Words w = byPrompt.get(i).get(j);
                      f[j] = feature(tb, w.prompt(), w.memory());
                    }
                    double best = java.util.Arrays.stream(f).max().orElse(0);
                    List<RelevanceFit.Pair> pairs = new ArrayList<>();
                    for (int j = 0; j < f.length; j++) {
                      RelevanceFit.Pair pr = q.pairs().get(j);
                      double[] v = pr.x().clone();
                      v[carrier[0]] = f[j];
                      v[carrier[1]] = f[j] - best;
                      pairs.add(new RelevanceFit.Pair(pr.relevant(), v, pr.memory()));
                    }
                    res.add(new RelevanceFit.Prompt(own, q.answerable(), q.relevantCount(), pairs));
                  }
                  Table whole = tables.get(p);
                  System.err.printf(
                      Locale.ROOT,
                      "word-pairs: fold %s, %d weights in its table%n",
                      p,
                      whole == null ? 0 : whole.w().size());
                  return res;
                });
    RelevanceFit.FEATURE_SETS.put(
        "word-pairs",
        RelevanceFit.concat(
            RelevanceFit.FEATURE_SETS.get("base+local"), TokenMaxSimFit.CARRIERS.subList(0, 2)));
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    TokenMaxSimFit.header();
    Map<String, Function<String, List<RelevanceFit.Prompt>>> options = new LinkedHashMap<>();
    options.put("base+local", data);
    options.put("word-pairs", data);
    TokenMaxSimFit.runPerFold("nested choice between base+local and + word_pairs", options);
    TokenMaxSimFit.runPerFold("word-pairs fixed (post hoc)", Map.of("word-pairs", data));
  }

  /** The weights from these pairs (docs/relevance/threshold-rule.md, session 14, third). */
  static Table table(List<Words> pairs) {
    Map<String, double[]> counts = new HashMap<>();
    Map<String, Set<String>> projects = new HashMap<>();
    int relevant = 0;
    for (Words w : pairs) {
      relevant += w.relevant() ? 1 : 0;
      for (String a : w.prompt()) {
        for (String b : w.memory()) {
          if (a.equals(b)) {
            continue;
          }
          String k = a + "\t" + b;
          double[] c = counts.computeIfAbsent(k, x -> new double[2]);
          c[0]++;
          if (w.relevant()) {
            c[1]++;
            projects.computeIfAbsent(k, x -> new HashSet<>()).add(w.project());
          }
        }
      }
    }
    double p0 = pairs.isEmpty() ? 0.5 : Math.max(1e-6, (double) relevant / pairs.size());
    Map<String, Double> out = new HashMap<>();
    counts.forEach(
        (k, c) -> {
          if (projects.getOrDefault(k, Set.of()).size() >= MIN_PROJECTS) {
            out.put(k, Math.log((c[1] + ALPHA * p0) / (c[0] + ALPHA)) - Math.log(p0));
          }
        });
    return new Table(out);
  }

  /** Mean over the prompt's words of the best weight among the memory's (0 without words). */
  static double feature(Table t, Set<String> prompt, Set<String> memory) {
    if (prompt.isEmpty() || memory.isEmpty()) {
      return 0;
    }
    double sum = 0;
    for (String a : prompt) {
      double best = Double.NEGATIVE_INFINITY;
      for (String b : memory) {
        best = Math.max(best, a.equals(b) ? 0 : t.weight(a, b));
      }
      sum += best;
    }
    return sum / prompt.size();
  }

  /** Lower-cased alphanumeric words, English stop words dropped, Snowball-stemmed. */
  static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    EnglishStemmer stemmer = new EnglishStemmer();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() < 2 || EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(w)) {
        continue;
      }
      stemmer.setCurrent(w);
      stemmer.stem();
      out.add(stemmer.getCurrent());
    }
    return out;
  }
}
