package dev.omem.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.sun.management.OperatingSystemMXBean;
import dev.omem.config.NativeLibraries;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark run by hand (not a test, issue 19): ONNX Runtime session options for one short text,
 * the daemon's case (a query or a single store). Each variant is its own session of the default
 * model; the variants are alternated call block by call block, so a busy machine loads each alike.
 * Prints per variant the wall p50, the process CPU per call (the calling thread plus ONNX Runtime's
 * workers) and the calling thread's CPU per call, and the largest difference of any output value
 * against the first variant (0 = the same vectors).
 *
 * <pre>
 * java -cp target/omem.jar:target/test-classes dev.omem.embed.OrtOptionsBench [rounds] [calls]
 * </pre>
 */
public final class OrtOptionsBench {

  private OrtOptionsBench() {}

  /** Twenty-word texts like a stored memory or a query (the measured case). */
  private static final String[] TEXTS = {
    "The billing database connection pool is capped at seventeen connections since the outage"
        + " in March last year.",
    "How many database handles can the billing service hold open at most before it starts"
        + " queueing new requests?",
    "Use spaces rather than tabs for indentation in every Java source file of this repository,"
        + " including the tests.",
    "The search service retries a failed upstream call three times with exponential backoff"
        + " starting at two hundred milliseconds.",
  };

  private record Variant(String name, OrtSession session) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    ModelSpec spec = ModelCatalog.DEFAULT;
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromResource(spec.tokenizerResource());
    byte[] model = ClassPathResources.read(spec.onnxResource());
    NativeLibraries.beforeOnnxRuntime();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<Variant> variants = new ArrayList<>();
    variants.add(
        new Variant("shipped: 2 threads, ALL_OPT, arena", session(env, model, 2, "all", true)));
    variants.add(new Variant("1 thread", session(env, model, 1, "all", true)));
    variants.add(new Variant("2 threads, EXTENDED_OPT", session(env, model, 2, "ext", true)));
    variants.add(new Variant("2 threads, BASIC_OPT", session(env, model, 2, "basic", true)));
    variants.add(
        new Variant("2 threads, no arena/mem pattern", session(env, model, 2, "all", false)));
    variants.add(
        new Variant("1 thread, no arena/mem pattern", session(env, model, 1, "all", false)));
    WordPieceTokenizer.Encoding[] enc = new WordPieceTokenizer.Encoding[TEXTS.length];
    for (int i = 0; i < TEXTS.length; i++) {
      enc[i] = tokenizer.encode(spec.queryPrefix() + TEXTS[i], spec.maxTokens());
    }
    float[][] reference = new float[TEXTS.length][];
    Map<String, double[]> maxDiff = new LinkedHashMap<>();
    for (Variant v : variants) {
      for (int i = 0; i < TEXTS.length; i++) {
        float[] out = run(env, v.session(), enc[i]);
        if (reference[i] == null) {
          reference[i] = out;
        }
        double d = 0;
        for (int k = 0; k < out.length; k++) {
          d = Math.max(d, Math.abs(out[k] - reference[i][k]));
        }
        maxDiff.computeIfAbsent(v.name(), x -> new double[1])[0] =
            Math.max(maxDiff.get(v.name())[0], d);
      }
      for (int w = 0; w < 30; w++) {
        run(env, v.session(), enc[w % enc.length]); // warm-up
      }
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> wall = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Variant v : variants) {
        long p0 = os.getProcessCpuTime();
        long t0 = threads.getCurrentThreadCpuTime();
        for (int c = 0; c < calls; c++) {
          long s = System.nanoTime();
          run(env, v.session(), enc[c % enc.length]);
          wall.computeIfAbsent(v.name(), x -> new ArrayList<>()).add((System.nanoTime() - s) / 1e6);
        }
        double[] acc = cpu.computeIfAbsent(v.name(), x -> new double[3]);
        acc[0] += (os.getProcessCpuTime() - p0) / 1e6;
        acc[1] += (threads.getCurrentThreadCpuTime() - t0) / 1e6;
        acc[2] += calls;
      }
    }
    double load = os.getSystemLoadAverage();
    System.out.printf(
        "| variant | wall p50 ms | process CPU per call ms | calling thread CPU per call ms |"
            + " max |diff| vs shipped |%n|---|---:|---:|---:|---:|%n");
    for (Variant v : variants) {
      List<Double> w = wall.get(v.name());
      double[] sorted = w.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double[] acc = cpu.get(v.name());
      System.out.printf(
          "| %s | %.2f | %.2f | %.2f | %.1e |%n",
          v.name(),
          sorted[sorted.length / 2],
          acc[0] / acc[2],
          acc[1] / acc[2],
          maxDiff.get(v.name())[0]);
    }
    System.out.printf(
        "%d rounds x %d calls per variant, alternated; load average %.1f at the end%n",
        rounds, calls, load);
  }

  private static OrtSession session(
      OrtEnvironment env, byte[] model, int threads, String opt, boolean arena) throws Exception {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(threads);
    o.setInterOpNumThreads(1);
    o.addConfigEntry("session.intra_op.allow_spinning", "0");
    o.setOptimizationLevel(
        switch (opt) {
          case "ext" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
          case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
          default -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
    if (!arena) {
      o.setCPUArenaAllocator(false);
      o.setMemoryPatternOptimization(false);
    }
    return env.createSession(model, o);
  }

  private static float[] run(OrtEnvironment env, OrtSession session, WordPieceTokenizer.Encoding e)
      throws Exception {
    long[] shape = {1, e.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(e.ids()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(e.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(e.typeIds()), shape)) {
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      Set<String> names = session.getInputNames();
      in.put("input_ids", ids);
      if (names.contains("attention_mask")) {
        in.put("attention_mask", mask);
      }
      if (names.contains("token_type_ids")) {
        in.put("token_type_ids", types);
      }
      try (OrtSession.Result r = session.run(in, Set.of("last_hidden_state"))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] all = new float[fb.remaining()];
        fb.get(all);
        return Arrays.copyOf(all, Math.min(all.length, 384 * e.length()));
      }
    }
  }
}
