package dev.omem.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The calibration of session 21's restatement threshold (docs/extraction/supersede-rule.md, step 2;
 * measured, not shipped): when a changed mind supersedes a memory, which other current memories say
 * the same old thing. From ../shared/bench/extraction-dev.json's user turns split into sentences: a
 * sentence states a labelled fact when it holds all of the fact's must_match entries. Positives:
 * two sentences of one repository stating the same fact; negatives: two sentences of one repository
 * stating different facts (neither stating both). Per left-out repository, the grid threshold
 * maximising (positive rate - negative rate) on the others, the highest of equals; the shipped
 * value is the same rule over all repositories.
 *
 * <p>Usage: {@code java -cp <classes>:<test-classes>:<jar> dev.omem.ingest.FitRestatement
 * ../shared/bench/extraction-dev.json}
 */
public final class FitRestatement {
  private FitRestatement() {}

  /** A sentence of a repository and the labelled facts (ids) it states. */
  record Said(String repo, String text, Set<Integer> facts) {}

  /** A pair of sentences, its cosine, and whether they state the same fact. */
  record Pair(String repo, double cos, boolean same) {}

  /**
   * Session 24 ({@code --precision p}): the lowest grid threshold whose joined pairs are at least
   * {@code p} same-fact (a search drops what it joins); 0: session 21's objective.
   */
  static double precision = 0;

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[1].equals("--precision")) {
      precision = Double.parseDouble(args[2]);
    }
    JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    List<Said> said = new ArrayList<>();
    Map<Integer, String> labels = new LinkedHashMap<>();
    Map<Integer, String> labelRepo = new LinkedHashMap<>();
    List<List<String>> musts = new ArrayList<>();
    for (JsonNode c : root.get("conversations")) {
      String repo = c.get("source").asText().split(" ")[0];
      List<Integer> ids = new ArrayList<>();
      for (JsonNode f : c.get("facts")) {
        List<String> m = new ArrayList<>();
        f.get("must_match").forEach(x -> m.add(x.asText()));
        ids.add(musts.size());
        labels.put(musts.size(), f.get("text").asText());
        labelRepo.put(musts.size(), repo);
        musts.add(m);
      }
      for (JsonNode msg : c.get("messages")) {
        if (!msg.get("role").asText().equals("user")) {
          continue;
        }
        for (String s : SentenceSplitter.split(msg.get("content").asText())) {
          Set<Integer> st = new LinkedHashSet<>();
          for (int id = 0; id < musts.size(); id++) {
            if (labelRepo.get(id).equals(repo) && holds(s, musts.get(id))) {
              st.add(id);
            }
          }
          if (!st.isEmpty()) {
            said.add(new Said(repo, s, st));
          }
        }
      }
    }
    List<Pair> pairs = pairs(said);
    long positives = pairs.stream().filter(Pair::same).count();
    System.out.printf(
        Locale.ROOT, "sentences stating a fact: %d, positive pairs %d%n", said.size(), positives);
    if (positives < 10) {
      // The rule's fallback, said before fitting: the label text also states its fact.
      labels.forEach((id, t) -> said.add(new Said(labelRepo.get(id), t, Set.of(id))));
      pairs = pairs(said);
      System.out.printf(
          Locale.ROOT,
          "with the labels as sentences: %d sentences, positive pairs %d%n",
          said.size(),
          pairs.stream().filter(Pair::same).count());
    }
    for (int k = 0; k <= 11; k++) {
      double t = 0.70 + 0.025 * k;
      System.out.printf(Locale.ROOT, "t %.3f: %s%n", t, rates(pairs, t));
    }
    Set<String> repos = new LinkedHashSet<>(pairs.stream().map(Pair::repo).toList());
    int tp = 0;
    int p = 0;
    int fp = 0;
    int n = 0;
    for (String r : repos) {
      double t = choose(pairs, r);
      for (Pair x : pairs) {
        if (x.repo().equals(r)) {
          if (x.same()) {
            p++;
            tp += x.cos() >= t ? 1 : 0;
          } else {
            n++;
            fp += x.cos() >= t ? 1 : 0;
          }
        }
      }
      System.out.printf(Locale.ROOT, "without %s: t %.3f%n", r, t);
    }
    System.out.printf(
        Locale.ROOT,
        "leave-one-repository-out: restatements joined %d/%d, different facts joined %d/%d (%.4f);"
            + " chosen on all: %.3f%n",
        tp,
        p,
        fp,
        n,
        (double) fp / Math.max(1, n),
        choose(pairs, null));
  }

  private static List<Pair> pairs(List<Said> said) throws Exception {
    List<Pair> out = new ArrayList<>();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      List<float[]> v = e.embedDocuments(said.stream().map(Said::text).toList());
      for (int i = 0; i < said.size(); i++) {
        for (int j = i + 1; j < said.size(); j++) {
          Said a = said.get(i);
          Said b = said.get(j);
          if (!a.repo().equals(b.repo()) || a.text().equals(b.text())) {
            continue;
          }
          boolean same = a.facts().stream().anyMatch(b.facts()::contains);
          boolean disjoint = a.facts().stream().noneMatch(b.facts()::contains);
          if (same || disjoint) {
            out.add(new Pair(a.repo(), FitExtraction.dot(v.get(i), v.get(j)), same));
          }
        }
      }
    }
    return out;
  }

  static boolean holds(String text, List<String> must) {
    String t = text.toLowerCase(Locale.ROOT);
    for (String m : must) {
      boolean any = false;
      for (String alt : m.toLowerCase(Locale.ROOT).split("\\|")) {
        any |= t.contains(alt);
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  private static String rates(List<Pair> pairs, double t) {
    int tp = 0;
    int p = 0;
    int fp = 0;
    int n = 0;
    for (Pair x : pairs) {
      if (x.same()) {
        p++;
        tp += x.cos() >= t ? 1 : 0;
      } else {
        n++;
        fp += x.cos() >= t ? 1 : 0;
      }
    }
    return String.format(
        Locale.ROOT,
        "restatements %d/%d, different facts %d/%d (%.4f)",
        tp,
        p,
        fp,
        n,
        (double) fp / Math.max(1, n));
  }

  /**
   * The grid threshold maximising (positive rate - negative rate) without {@code r}; highest of
   * equals.
   */
  static double choose(List<Pair> pairs, String r) {
    double best = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= 11; k++) {
      double t = 0.70 + 0.025 * k;
      int tp = 0;
      int p = 0;
      int fp = 0;
      int n = 0;
      for (Pair x : pairs) {
        if (x.repo().equals(r)) {
          continue;
        }
        if (x.same()) {
          p++;
          tp += x.cos() >= t ? 1 : 0;
        } else {
          n++;
          fp += x.cos() >= t ? 1 : 0;
        }
      }
      if (precision > 0) {
        if (tp + fp > 0 && (double) tp / (tp + fp) >= precision) {
          return t; // the lowest such t
        }
        best = t; // none reaches it: the grid's top
        continue;
      }
      double j = (double) tp / Math.max(1, p) - (double) fp / Math.max(1, n);
      if (j >= top - 1e-12) {
        top = Math.max(top, j);
        best = t;
      }
    }
    return best;
  }
}
