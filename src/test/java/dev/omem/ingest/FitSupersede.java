package dev.omem.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The calibration behind {@link Reconciler#CHANGED_TOPIC} (scripts/fit-extraction --supersede):
 * cosine between the labelled old and new fact of each supersede pair of
 * ../shared/bench/extraction-dev.json, against the cosine of every other pair of labelled facts of
 * one repository (different facts, which must both stay). Prints, per candidate threshold, the
 * pairs joined and the unrelated pairs joined; then the threshold chosen by
 * leave-one-repository-out: for each repository, the grid value maximising (pairs joined rate -
 * unrelated pairs joined rate) over the other repositories (the lowest of equals: a missed change
 * costs a stale fact), scored on the left-out repository's pairs; the shipped value is the same
 * rule over all repositories.
 */
public final class FitSupersede {
  private FitSupersede() {}

  public static void main(String[] args) throws Exception {
    JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    List<String[]> facts = new ArrayList<>(); // repo, text
    for (JsonNode c : root.get("conversations")) {
      String repo = c.get("source").asText().split(" ")[0];
      c.get("facts").forEach(f -> facts.add(new String[] {repo, f.get("text").asText()}));
    }
    Set<String> paired = new HashSet<>();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      List<float[]> v = e.embedDocuments(facts.stream().map(f -> f[1]).toList());
      List<double[]> pos = new ArrayList<>(); // cos
      List<String> posRepo = new ArrayList<>();
      List<String> negRepo = new ArrayList<>();
      for (JsonNode p : root.get("supersede")) {
        int a = indexOf(facts, p.get("old_fact").asText());
        int b = indexOf(facts, p.get("new_fact").asText());
        paired.add(a + ":" + b);
        double cos = FitExtraction.dot(v.get(a), v.get(b));
        pos.add(new double[] {cos});
        posRepo.add(facts.get(a)[0]);
        System.out.printf(
            Locale.ROOT, "pair %.3f  %s -> %s%n", cos, facts.get(a)[1], facts.get(b)[1]);
      }
      List<Double> neg = new ArrayList<>();
      for (int i = 0; i < facts.size(); i++) {
        for (int j = i + 1; j < facts.size(); j++) {
          if (facts.get(i)[0].equals(facts.get(j)[0]) && !paired.contains(i + ":" + j)) {
            neg.add(FitExtraction.dot(v.get(i), v.get(j)));
            negRepo.add(facts.get(i)[0]);
          }
        }
      }
      for (double t = 0.60; t <= 0.90; t += 0.025) {
        double tt = t;
        long joined = pos.stream().filter(x -> x[0] >= tt).count();
        long wrong = neg.stream().filter(x -> x >= tt).count();
        System.out.printf(
            Locale.ROOT,
            "t %.3f: pairs %d/%d, unrelated same-repo pairs above %d/%d (%.3f)%n",
            t,
            joined,
            pos.size(),
            wrong,
            neg.size(),
            (double) wrong / neg.size());
      }
      Set<String> repos = new java.util.LinkedHashSet<>(facts.stream().map(f -> f[0]).toList());
      int pairsJoined = 0;
      int pairsAll = 0;
      int wrongJoined = 0;
      int wrongAll = 0;
      for (String r : repos) {
        double t = choose(pos, posRepo, neg, negRepo, r);
        for (int i = 0; i < pos.size(); i++) {
          if (posRepo.get(i).equals(r)) {
            pairsAll++;
            pairsJoined += pos.get(i)[0] >= t ? 1 : 0;
          }
        }
        for (int i = 0; i < neg.size(); i++) {
          if (negRepo.get(i).equals(r)) {
            wrongAll++;
            wrongJoined += neg.get(i) >= t ? 1 : 0;
          }
        }
        System.out.printf(Locale.ROOT, "without %s: t %.3f%n", r, t);
      }
      System.out.printf(
          Locale.ROOT,
          "leave-one-repository-out: pairs joined %d/%d, unrelated same-repo pairs joined %d/%d (%.3f); chosen on all: %.3f%n",
          pairsJoined,
          pairsAll,
          wrongJoined,
          wrongAll,
          (double) wrongJoined / wrongAll,
          choose(pos, posRepo, neg, negRepo, null));
      subjectFit(root, facts, v);
      String[] fixed = {
        "I always use pnpm, never npm, for JavaScript projects.",
        "I now use bun instead of pnpm for all JavaScript projects.",
        "Please keep commit messages under 72 characters.",
        "Indent with tabs.",
        "Actually, indent with spaces, not tabs.",
        "We deploy to Fly.io.",
        "From now on we deploy to Render instead of Fly.io.",
        "Tests use Jest.",
        "We switched the test framework to Vitest."
      };
      List<float[]> fv = e.embedDocuments(List.of(fixed));
      for (int i = 0; i < fixed.length; i++) {
        for (int j = i + 1; j < fixed.length; j++) {
          System.out.printf(
              Locale.ROOT,
              "fixed %.3f  %s | %s%n",
              FitExtraction.dot(fv.get(i), fv.get(j)),
              fixed[i],
              fixed[j]);
        }
      }
    }
  }

  /** The grid threshold maximising joined pairs minus joined unrelated pairs, without {@code r}. */
  static double choose(
      List<double[]> pos, List<String> posRepo, List<Double> neg, List<String> negRepo, String r) {
    double best = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= 12; k++) {
      double t = 0.60 + 0.025 * k;
      int p = 0;
      int pn = 0;
      for (int i = 0; i < pos.size(); i++) {
        if (!posRepo.get(i).equals(r)) {
          pn++;
          p += pos.get(i)[0] >= t ? 1 : 0;
        }
      }
      int n = 0;
      int nn = 0;
      for (int i = 0; i < neg.size(); i++) {
        if (!negRepo.get(i).equals(r)) {
          nn++;
          n += neg.get(i) >= t ? 1 : 0;
        }
      }
      double j = (double) p / Math.max(1, pn) - (double) n / Math.max(1, nn);
      if (j > top + 1e-12) {
        top = j;
        best = t;
      }
    }
    return best;
  }

  /**
   * The calibration behind {@link Reconciler#CHANGED_SUBJECT} (docs/extraction/supersede-rule.md,
   * slot helper): among the pairs the cosine gate ({@link Reconciler#CHANGED_TOPIC}) joins, the
   * content-word overlap of each supersede pair against that of the pair's new fact with every
   * other labelled fact of its repository; the grid value maximising (pairs kept rate - others kept
   * rate) without each repository, the highest of equals, scored on the left-out repository.
   */
  static void subjectFit(JsonNode root, List<String[]> facts, List<float[]> v) {
    List<Double> pos = new ArrayList<>();
    List<String> posRepo = new ArrayList<>();
    List<Double> neg = new ArrayList<>();
    List<String> negRepo = new ArrayList<>();
    for (JsonNode p : root.get("supersede")) {
      int a = indexOf(facts, p.get("old_fact").asText());
      int b = indexOf(facts, p.get("new_fact").asText());
      String repo = facts.get(b)[0];
      double cos = FitExtraction.dot(v.get(a), v.get(b));
      double ov = FactText.overlap(facts.get(a)[1], facts.get(b)[1]);
      System.out.printf(
          Locale.ROOT, "subject pair cos %.3f overlap %.3f  %s%n", cos, ov, p.get("id"));
      if (cos >= Reconciler.CHANGED_TOPIC) {
        pos.add(ov);
        posRepo.add(repo);
      }
      for (int i = 0; i < facts.size(); i++) {
        if (i != a && i != b && facts.get(i)[0].equals(repo)) {
          if (FitExtraction.dot(v.get(i), v.get(b)) >= Reconciler.CHANGED_TOPIC) {
            neg.add(FactText.overlap(facts.get(i)[1], facts.get(b)[1]));
            negRepo.add(repo);
          }
        }
      }
    }
    for (int k = 0; k <= 12; k++) {
      double t = 0.025 * k;
      System.out.printf(
          Locale.ROOT,
          "subject t %.3f: pairs %d/%d, others %d/%d%n",
          t,
          pos.stream().filter(x -> x >= t - 1e-9).count(),
          pos.size(),
          neg.stream().filter(x -> x >= t - 1e-9).count(),
          neg.size());
    }
    Set<String> repos = new java.util.LinkedHashSet<>(posRepo);
    repos.addAll(negRepo);
    int pk = 0;
    int nk = 0;
    for (String r : repos) {
      double t = chooseSubject(pos, posRepo, neg, negRepo, r);
      for (int i = 0; i < pos.size(); i++) {
        pk += posRepo.get(i).equals(r) && pos.get(i) >= t - 1e-9 ? 1 : 0;
      }
      for (int i = 0; i < neg.size(); i++) {
        nk += negRepo.get(i).equals(r) && neg.get(i) >= t - 1e-9 ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "subject without %s: t %.3f%n", r, t);
    }
    System.out.printf(
        Locale.ROOT,
        "subject leave-one-repository-out: pairs kept %d/%d, others kept %d/%d; chosen on all: %.3f%n",
        pk,
        pos.size(),
        nk,
        neg.size(),
        chooseSubject(pos, posRepo, neg, negRepo, null));
  }

  static double chooseSubject(
      List<Double> pos, List<String> posRepo, List<Double> neg, List<String> negRepo, String r) {
    double best = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= 12; k++) {
      double t = 0.025 * k;
      int p = 0;
      int pn = 0;
      for (int i = 0; i < pos.size(); i++) {
        if (!posRepo.get(i).equals(r)) {
          pn++;
          p += pos.get(i) >= t - 1e-9 ? 1 : 0;
        }
      }
      int n = 0;
      int nn = 0;
      for (int i = 0; i < neg.size(); i++) {
        if (!negRepo.get(i).equals(r)) {
          nn++;
          n += neg.get(i) >= t - 1e-9 ? 1 : 0;
        }
      }
      double j = (double) p / Math.max(1, pn) - (double) n / Math.max(1, nn);
      if (j >= top - 1e-12) {
        top = j;
        best = t;
      }
    }
    return best;
  }

  private static int indexOf(List<String[]> facts, String text) {
    for (int i = 0; i < facts.size(); i++) {
      if (facts.get(i)[1].equals(text)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no fact " + text);
  }
}
