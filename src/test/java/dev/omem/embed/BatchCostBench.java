package dev.omem.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Whether the shipped model costs less CPU per text when texts go through it together (issue 19,
 * session 24): the default model with one intra-op thread (as shipped, so the whole run is on the
 * calling thread and its thread CPU is the run's), batches of 1, 2, 4 and 8 texts padded to their
 * longest, in alternated blocks after warm-up rounds. Texts are the coding lane's prompts (query
 * length) and memories (store length) from {@code coding-recall-dev.json}, only as realistic
 * lengths and words. Also the largest 1 - cosine between a text's vector alone and inside a batch.
 *
 * <pre>
 * java -cp target/omem.jar:target/test-classes dev.omem.embed.BatchCostBench DEV_JSON [ROUNDS [QMIN QMAX SMIN SMAX]]
 * </pre>
 */
public final class BatchCostBench {
  private BatchCostBench() {}

  private static final int[] SIZES = {1, 2, 4, 8};
  private static final int TEXTS_PER_BLOCK = 48;

  public static void main(String[] args) throws Exception {
    JsonNode dev = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    int warm = Math.max(1, rounds / 4);
    List<String> prompts = new ArrayList<>();
    List<String> memories = new ArrayList<>();
    for (JsonNode p : dev.get("projects")) {
      p.get("prompts").forEach(x -> prompts.add(x.get("text").asText()));
      p.get("memories").forEach(x -> memories.add(x.get("text").asText()));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT, false, 1)) {
      int[] range = {10, 25, 30, 80};
      for (int i = 2; i < Math.min(args.length, 6); i++) {
        range[i - 2] = Integer.parseInt(args[i]);
      }
      List<String> all = new ArrayList<>(prompts);
      all.addAll(memories);
      List<String> queries = byTokens(e, all, e.spec().queryPrefix(), range[0], range[1]);
      List<String> stores = byTokens(e, memories, "", range[2], range[3]);
      boolean invariant;
      try (OnnxEmbedder probed = OnnxEmbedder.load(ModelCatalog.DEFAULT, true, 1)) {
        invariant = probed.batches();
      }
      System.out.printf(
          "model %s batch-invariant probe: %s; %d query-length texts, %d store-length texts%n",
          e.spec().id(), invariant, queries.size(), stores.size());
      String[] kinds = {
        "query with its prefix (" + range[0] + "-" + range[1] + " tokens)",
        "store (" + range[2] + "-" + range[3] + " tokens)"
      };
      List<List<String>> pools = List.of(queries, stores);
      for (int kind = 0; kind < 2; kind++) {
        List<String> pool = pools.get(kind);
        String prefix = kind == 0 ? e.spec().queryPrefix() : "";
        // Each text's vector alone, for the cosine check.
        java.util.Map<String, float[]> alone = new java.util.HashMap<>();
        for (String t : pool) {
          alone.put(t, e.embedDocuments(List.of(prefix + t)).get(0));
        }
        double[][] cpuPerText = new double[SIZES.length][rounds];
        double[] worst = new double[SIZES.length];
        int[] differ = new int[SIZES.length];
        int[] compared = new int[SIZES.length];
        Random rnd = new Random(24 + kind);
        for (int r = 0; r < rounds; r++) {
          for (int s0 = 0; s0 < SIZES.length; s0++) {
            int s = (s0 + r) % SIZES.length; // the order rotates, so no size is always first
            int b = SIZES[s];
            List<List<String>> calls = new ArrayList<>();
            for (int c = 0; c < TEXTS_PER_BLOCK / b; c++) {
              List<String> call = new ArrayList<>();
              for (int k = 0; k < b; k++) {
                call.add(prefix + pool.get(rnd.nextInt(pool.size())));
              }
              calls.add(call);
            }
            List<List<float[]>> out = new ArrayList<>();
            long c0 = mx.getCurrentThreadCpuTime();
            for (List<String> call : calls) {
              out.add(e.embedDocuments(call));
            }
            long c1 = mx.getCurrentThreadCpuTime();
            cpuPerText[s][r] = (c1 - c0) / 1e6 / TEXTS_PER_BLOCK;
            for (int c = 0; c < calls.size(); c++) {
              for (int k = 0; k < b; k++) {
                float[] a = alone.get(calls.get(c).get(k).substring(prefix.length()));
                float[] v = out.get(c).get(k);
                compared[s]++;
                if (!Arrays.equals(a, v)) {
                  differ[s]++;
                }
                double cos = 0;
                for (int d = 0; d < a.length; d++) {
                  cos += (double) a[d] * v[d];
                }
                worst[s] = Math.max(worst[s], 1 - cos);
              }
            }
          }
        }
        System.out.println(kinds[kind]);
        double base = mean(cpuPerText[0], warm);
        for (int s = 0; s < SIZES.length; s++) {
          double m = mean(cpuPerText[s], warm);
          System.out.printf(
              "  batch %d: thread CPU per text mean %.3f ms (rounds %s) = %.1f%% of alone;"
                  + " vectors not bit-identical %d of %d, largest 1-cos %.2e%n",
              SIZES[s],
              m,
              rounds(cpuPerText[s], warm),
              100 * m / base,
              differ[s],
              compared[s],
              worst[s]);
        }
      }
    }
  }

  private static List<String> byTokens(
      OnnxEmbedder e, List<String> texts, String prefix, int min, int max) {
    List<String> out = new ArrayList<>();
    for (String t : texts) {
      int n = e.tokenCount(prefix + t);
      if (n >= min && n <= max) {
        out.add(t);
      }
    }
    return out;
  }

  private static double mean(double[] xs, int skip) {
    return Arrays.stream(xs, skip, xs.length).average().orElse(0);
  }

  private static String rounds(double[] xs, int skip) {
    StringBuilder sb = new StringBuilder();
    for (int i = skip; i < xs.length; i++) {
      sb.append(i > skip ? " " : "").append(String.format("%.2f", xs[i]));
    }
    return sb.toString();
  }
}
