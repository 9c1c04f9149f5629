package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.io.File;
import java.util.*;

/**
 * Session 18 (issue 13), a diagnostic (no fitting): plain-cosine order and prompt separation on the
 * coding lane with and without bge's query instruction. Run: java -cp
 * target/classes:target/test-classes:target/omem.jar dev.omem.bench.PrefixProbe DATA.json
 */
public final class PrefixProbe {
  public static void main(String[] a) throws Exception {
    JsonNode root = new ObjectMapper().readTree(new File(a[0]));
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      String[] names = {"prefix", "noprefix"};
      for (int variant = 0; variant < 2; variant++) {
        int ans = 0, first = 0, r5 = 0;
        double mrr = 0;
        List<double[]> best = new ArrayList<>(); // {score, answerable}
        for (JsonNode p : root.get("projects")) {
          ProbeProject project = ProbeProject.embed(e, p);
          List<String> ids = project.ids();
          List<float[]> mv = project.vectors();
          for (JsonNode q : p.get("prompts")) {
            String text = q.get("text").asText();
            float[] qv = variant == 0 ? e.embedQuery(text) : e.embedDocuments(List.of(text)).get(0);
            double[] s = new double[ids.size()];
            for (int i = 0; i < s.length; i++) {
              double d = 0;
              for (int k = 0; k < qv.length; k++) d += qv[k] * mv.get(i)[k];
              s[i] = d;
            }
            Integer[] ord = new Integer[s.length];
            for (int i = 0; i < s.length; i++) ord[i] = i;
            Arrays.sort(ord, (x, y) -> Double.compare(s[y], s[x]));
            Set<String> rel = ProbeProject.relevant(q);
            double mean = Arrays.stream(s).average().orElse(0);
            best.add(new double[] {s[ord[0]], rel.isEmpty() ? 0 : 1, s[ord[0]] - mean});
            if (rel.isEmpty()) continue;
            ans++;
            for (int k = 0; k < ord.length; k++)
              if (rel.contains(ids.get(ord[k]))) {
                if (k == 0) first++;
                if (k < 5) r5++;
                mrr += 1.0 / (k + 1);
                break;
              }
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%s: answerable %d first %.3f any@5 %.3f MRR %.3f prompt AUC best %.3f best-mean %.3f%n",
            names[variant],
            ans,
            first / (double) ans,
            r5 / (double) ans,
            mrr / ans,
            auc(best, 0),
            auc(best, 2));
      }
    }
  }

  static double auc(List<double[]> b, int col) {
    double wins = 0;
    long n = 0;
    for (double[] x : b)
      if (x[1] == 1)
        for (double[] y : b)
          if (y[1] == 0) {
            n++;
            wins += x[col] > y[col] ? 1 : x[col] == y[col] ? 0.5 : 0;
          }
    return wins / n;
  }
}
