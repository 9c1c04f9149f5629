package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.io.File;
import java.util.*;

/**
 * Session 18 (issue 13), a diagnostic (no fitting): the prompt's word-piece states against each
 * memory's pooled vector (no memory-side states), beside plain cosine. Run as {@link PrefixProbe}.
 */
public final class TokenClsProbe {
  public static void main(String[] a) throws Exception {
    JsonNode root = new ObjectMapper().readTree(new File(a[0]));
    String prefix = ModelCatalog.DEFAULT.queryPrefix();
    List<double[]> pairs = new ArrayList<>(); // prompt#, relevant, cos, max, mean
    List<double[]> prompts = new ArrayList<>(); // answerable, bestCos, bestMax, bestMean
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      int skip = e.tokenVectors(prefix.trim()).length;
      int pi = 0;
      for (JsonNode p : root.get("projects")) {
        ProbeProject project = ProbeProject.embed(e, p);
        List<String> ids = project.ids();
        List<float[]> mv = project.vectors();
        for (JsonNode q : p.get("prompts")) {
          String text = q.get("text").asText();
          float[] qv = e.embedQuery(text);
          float[][] tv = e.tokenVectors(prefix + text);
          Set<String> rel = ProbeProject.relevant(q);
          double bc = -9, bm = -9, bn = -9;
          for (int i = 0; i < ids.size(); i++) {
            float[] d = mv.get(i);
            double c = TokenMaxSimFit.dot(qv, d), mx = -9, mean = 0;
            int n = 0;
            for (int t = skip; t < tv.length; t++) {
              double s = TokenMaxSimFit.dot(tv[t], d);
              mx = Math.max(mx, s);
              mean += s;
              n++;
            }
            mean /= Math.max(1, n);
            pairs.add(new double[] {pi, rel.contains(ids.get(i)) ? 1 : 0, c, mx, mean});
            bc = Math.max(bc, c);
            bm = Math.max(bm, mx);
            bn = Math.max(bn, mean);
          }
          prompts.add(new double[] {rel.isEmpty() ? 0 : 1, bc, bm, bn});
          pi++;
        }
      }
    }
    String[] nm = {"cos", "tok-max", "tok-mean"};
    for (int f = 0; f < 3; f++) {
      // within-prompt AUC over answerable prompts, and first place
      double wins = 0;
      long n = 0;
      int first = 0, ans = 0;
      Map<Integer, List<double[]>> by = new TreeMap<>();
      for (double[] x : pairs) by.computeIfAbsent((int) x[0], k -> new ArrayList<>()).add(x);
      for (var l : by.values()) {
        if (l.stream().noneMatch(x -> x[1] == 1)) continue;
        ans++;
        final int col = 2 + f;
        double[] top = l.stream().max(Comparator.comparingDouble(x -> x[col])).get();
        if (top[1] == 1) first++;
        for (double[] x : l)
          if (x[1] == 1)
            for (double[] y : l)
              if (y[1] == 0) {
                n++;
                wins += x[col] > y[col] ? 1 : x[col] == y[col] ? .5 : 0;
              }
      }
      double pw = 0;
      long pn = 0;
      for (double[] x : prompts)
        if (x[0] == 1)
          for (double[] y : prompts)
            if (y[0] == 0) {
              pn++;
              pw += x[1 + f] > y[1 + f] ? 1 : x[1 + f] == y[1 + f] ? .5 : 0;
            }
      System.out.printf(
          Locale.ROOT,
          "%s: within-prompt pair AUC %.3f first %.3f prompt AUC %.3f%n",
          nm[f],
          wins / n,
          first / (double) ans,
          pw / pn);
    }
    // cos + w * tok-mean / tok-max, diagnostic only
    for (int f = 3; f <= 4; f++)
      for (double w : new double[] {0.25, 0.5, 1}) {
        Map<Integer, List<double[]>> by = new TreeMap<>();
        for (double[] x : pairs) by.computeIfAbsent((int) x[0], k -> new ArrayList<>()).add(x);
        int first = 0, ans = 0;
        final int col = f;
        final double ww = w;
        for (var l : by.values()) {
          if (l.stream().noneMatch(x -> x[1] == 1)) continue;
          ans++;
          if (l.stream().max(Comparator.comparingDouble(x -> x[2] + ww * x[col])).get()[1] == 1)
            first++;
        }
        System.out.printf(
            Locale.ROOT, "cos + %.2f * %s: first %.3f%n", w, nm[f - 2], first / (double) ans);
      }
  }
}
