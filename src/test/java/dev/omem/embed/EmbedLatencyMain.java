package dev.omem.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Throwaway benchmark, run by hand (not a test): prints start-up and latency figures for the
 * default model. Run each mode in a fresh JVM, since the point is cold start:
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.omem.embed.EmbedLatencyMain MODE
 * </pre>
 *
 * MODE is {@code tokenizer-pure} (our tokenizer: construct + first encode), {@code tokenizer-djl}
 * (the same with DJL's native HuggingFace binding) or {@code model} (load, query latency, batch
 * throughput).
 */
public final class EmbedLatencyMain {

  private static final String QUERY =
      "Which indentation style does the user prefer for the Java source files in this repository,"
          + " tabs or spaces, when formatting?";

  private EmbedLatencyMain() {}

  public static void main(String[] args) throws Exception {
    long jvmStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    String mode = args.length > 0 ? args[0] : "model";
    switch (mode) {
      case "tokenizer-pure" -> {
        long t0 = System.nanoTime();
        WordPieceTokenizer tokenizer =
            WordPieceTokenizer.fromResource(ModelCatalog.DEFAULT.tokenizerResource());
        long t1 = System.nanoTime();
        int n = tokenizer.encode(QUERY, 512).length();
        long t2 = System.nanoTime();
        print("pure-java", t0, t1, t2, n, jvmStart);
      }
      case "tokenizer-djl" -> {
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path file = Files.createTempFile("tokenizer", ".json");
        try (InputStream in = ClassPathResources.open(ModelCatalog.DEFAULT.tokenizerResource())) {
          Files.write(file, in.readAllBytes());
        }
        long t0 = System.nanoTime();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file)) {
          long t1 = System.nanoTime();
          int n = tokenizer.encode(QUERY).getIds().length;
          long t2 = System.nanoTime();
          print("djl", t0, t1, t2, n, jvmStart);
        } finally {
          Files.delete(file);
        }
      }
      case "model" -> model();
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static void model() {
    long t0 = System.nanoTime();
    try (OnnxEmbedder embedder = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      System.out.printf(
          "model load (tokenizer + session + batch probe): %.0f ms%n", ms(System.nanoTime() - t0));
      long t1 = System.nanoTime();
      embedder.embedQuery(QUERY);
      System.out.printf("first query: %.1f ms%n", ms(System.nanoTime() - t1));
      for (int i = 0; i < 50; i++) {
        embedder.embedQuery(QUERY + i);
      }
      long[] times = new long[200];
      for (int i = 0; i < times.length; i++) {
        long s = System.nanoTime();
        embedder.embedQuery(QUERY);
        times[i] = System.nanoTime() - s;
      }
      Arrays.sort(times);
      System.out.printf(
          "query (%d words) latency: p50 %.2f ms, p90 %.2f ms%n",
          QUERY.split(" ").length, ms(times[times.length / 2]), ms(times[times.length * 9 / 10]));
      System.out.printf(
          "batch of 32 short sentences, one text per run (default for int8): %.0f texts/s%n",
          throughput(embedder));
    }
    try (OnnxEmbedder batching = OnnxEmbedder.load(ModelCatalog.DEFAULT, false)) {
      System.out.printf(
          "batch of 32 short sentences, one padded batch (forced): %.0f texts/s%n",
          throughput(batching));
    }
  }

  private static double throughput(OnnxEmbedder embedder) {
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      batch.add(
          "Note " + i + ": the build uses Maven and runs the tests offline" + ".".repeat(i % 3));
    }
    for (int i = 0; i < 5; i++) {
      embedder.embedDocuments(batch);
    }
    int rounds = 20;
    long s = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      embedder.embedDocuments(batch);
    }
    return rounds * batch.size() / (ms(System.nanoTime() - s) / 1000);
  }

  private static void print(String name, long t0, long t1, long t2, int tokens, long jvmStart) {
    System.out.printf(
        "%s: construct %.1f ms, first encode %.2f ms (%d tokens), JVM start to done %d ms%n",
        name, ms(t1 - t0), ms(t2 - t1), tokens, System.currentTimeMillis() - jvmStart);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
