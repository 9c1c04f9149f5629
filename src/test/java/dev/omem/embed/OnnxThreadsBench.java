package dev.omem.embed;

import com.sun.management.OperatingSystemMXBean;
import dev.omem.bench.SyntheticMemories;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One store's embedding with one and with two intra-op threads (issue 19, session 23): the same
 * short texts a store embeds, through two sessions of the default model in one JVM, alternated text
 * by text so both see the same load. Per embedding: the process's CPU (ONNX Runtime's worker
 * threads are native, so the calling thread's CPU alone misses them) and the wall time; and whether
 * the two sessions' vectors are the same bit for bit. Run alone in its JVM:
 *
 * <pre>java -cp target/omem.jar:target/test-classes dev.omem.embed.OnnxThreadsBench [N [BATCH]]
 * </pre>
 *
 * With BATCH above 1, each call embeds that many texts at once (the backfill's and imports' calls).
 */
public final class OnnxThreadsBench {
  private OnnxThreadsBench() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    SyntheticMemories texts = new SyntheticMemories(23);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int[] threads = {1, 2};
    try (OnnxEmbedder one = OnnxEmbedder.load(ModelCatalog.DEFAULT, true, 1);
        OnnxEmbedder two = OnnxEmbedder.load(ModelCatalog.DEFAULT, true, 2)) {
      OnnxEmbedder[] e = {one, two};
      List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> wall = List.of(new ArrayList<>(), new ArrayList<>());
      int differ = 0;
      for (int i = 0; i < n; i++) {
        List<String> batchTexts = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
          batchTexts.add(texts.memory());
        }
        List<List<float[]>> v = new ArrayList<>(List.of(List.of(), List.of()));
        for (int j = 0; j < 2; j++) {
          int k = i % 2 == 0 ? j : 1 - j;
          long c0 = os.getProcessCpuTime();
          long w0 = System.nanoTime();
          v.set(k, e[k].embedDocuments(batchTexts));
          long w1 = System.nanoTime();
          long c1 = os.getProcessCpuTime();
          if (i >= n / 4) {
            cpu.get(k).add((c1 - c0) / 1e6);
            wall.get(k).add((w1 - w0) / 1e6);
          }
        }
        for (int b = 0; b < batch; b++) {
          if (!Arrays.equals(v.get(0).get(b), v.get(1).get(b))) {
            differ++;
          }
        }
      }
      for (int k = 0; k < 2; k++) {
        System.out.printf(
            "intra-op threads %d: process CPU p50 %.2f mean %.2f ms, wall p50 %.2f mean %.2f ms"
                + " (%d calls of %d texts)%n",
            threads[k],
            p50(cpu.get(k)),
            mean(cpu.get(k)),
            p50(wall.get(k)),
            mean(wall.get(k)),
            cpu.get(k).size(),
            batch);
      }
      System.out.printf("vectors that differ between the two: %d of %d%n", differ, n * batch);
    }
  }

  private static double p50(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s[s.length / 2];
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
