package dev.omem.bench;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Session 12 probe (issue 13): how well the query's own embedding tells an answerable coding prompt
 * from an unrelated one (generic questions, chit-chat), left out by project: a logistic regression
 * over the shipped model's query vector. Prints the prompt-level AUC per L2 strength.
 *
 * <pre>java -cp target/classes:target/test-classes:target/omem.jar dev.omem.bench.QueryStyleProbe
 * --cache target/s12/pairs.tsv --data ../shared/bench/coding-recall-dev.json</pre>
 */
public final class QueryStyleProbe {
  private QueryStyleProbe() {}

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(Path.of(o.get("cache")));
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(Path.of(o.get("data")));
    double[][] v = new double[prompts.size()][];
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (int i = 0; i < v.length; i++) {
        float[] f = e.embedQuery(t.prompts().get(i));
        v[i] = new double[f.length];
        for (int j = 0; j < f.length; j++) {
          v[i][j] = f[j];
        }
      }
    }
    boolean[] y = new boolean[v.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = prompts.get(i).answerable();
    }
    List<String> projects = prompts.stream().map(RelevanceFit.Prompt::project).distinct().toList();
    for (double lambda : new double[] {1, 10, 100, 1000}) {
      double[] s = new double[v.length];
      for (String p : projects) {
        List<Integer> tr = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
          if (!prompts.get(i).project().equals(p)) {
            tr.add(i);
          }
        }
        double[][] x = tr.stream().map(i -> v[i]).toArray(double[][]::new);
        boolean[] yy = new boolean[tr.size()];
        for (int k = 0; k < yy.length; k++) {
          yy[k] = y[tr.get(k)];
        }
        double[][] ms = LogisticRegression.standardisation(x);
        double[] w = LogisticRegression.fit(x, yy, ms[0], ms[1], lambda);
        for (int i = 0; i < v.length; i++) {
          if (prompts.get(i).project().equals(p)) {
            double z = w[0];
            for (int j = 0; j < v[i].length; j++) {
              z += w[j + 1] * (v[i][j] - ms[0][j]) / ms[1][j];
            }
            s[i] = z;
          }
        }
      }
      System.out.printf(
          Locale.ROOT, "λ %s: prompt AUC (query vector alone) %.3f%n", lambda, auc(s, y));
    }
  }

  static double auc(double[] s, boolean[] y) {
    double pos = 0;
    double n = 0;
    double wins = 0;
    for (int i = 0; i < s.length; i++) {
      if (!y[i]) {
        continue;
      }
      pos++;
      for (int j = 0; j < s.length; j++) {
        if (!y[j]) {
          wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
      }
    }
    for (boolean b : y) {
      n += b ? 0 : 1;
    }
    return wins / (pos * n);
  }
}
