package dev.omem.embed;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.omem.config.NativeLibraries;
import dev.omem.domain.VectorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a BERT-style sentence-embedding model with ONNX Runtime, in process: tokenizes with {@link
 * WordPieceTokenizer}, feeds {@code input_ids}, {@code attention_mask} and {@code token_type_ids}
 * (those the model declares), pools the {@code last_hidden_state} per {@link ModelSpec#pooling()}
 * and L2-normalises the result. Texts longer than {@link ModelSpec#maxTokens()} are truncated.
 *
 * <p>Batching: documents are embedded in batches of at most {@value #MAX_BATCH} texts, grouped by
 * length and padded to the longest in their batch, but only if the model is batch-invariant, which
 * {@link #load} measures. Dynamically quantized (int8) models are not: they quantize activations
 * with one scale per call, so a text's vector would depend on its batch-mates and padding (1 -
 * cosine up to 0.008 for bge-small-q, 0.025 for MiniLM-q: as large as the quantization error
 * itself). Those models embed one text per call, so that a text always gets the same vector.
 *
 * <p>Thread-safe: ONNX Runtime sessions accept concurrent runs.
 *
 * <p>Over 400 lines because the ONNX session, tokenising, pooling and loading the native library
 * share one model's lifetime.
 */
public final class OnnxEmbedder implements Embedder {

  /** Most texts in one model call. */
  public static final int MAX_BATCH = 32;

  /**
   * Most padded tokens in one model call. Attention memory grows with batch × length², so a batch
   * of long texts is kept smaller: 32 texts of up to 128 tokens, 8 of 512.
   */
  static final int MAX_BATCH_TOKENS = 32 * 128;

  /**
   * Most model runs of one list at once: every core up to four, the bound the intra-op threads had
   * before one thread per run (more brings little for a model this small).
   */
  private static final int MAX_SIDE_BY_SIDE =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private static final Logger log = LoggerFactory.getLogger(OnnxEmbedder.class);

  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final ModelSpec spec;
  private final String vectorModel;
  private final WordPieceTokenizer tokenizer;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final String output;
  private final boolean feedMask;
  private final boolean feedTypeIds;

  /** {@value #MAX_BATCH}, or 1 for a model whose vectors depend on their batch-mates. */
  private final int batchSize;

  private final QueryVectors queries = new QueryVectors();

  // Runs hold the read lock, close() the write lock: closing frees native memory that a running
  // inference would otherwise read after free.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxEmbedder(
      ModelSpec spec,
      WordPieceTokenizer tokenizer,
      OrtEnvironment env,
      OrtSession.SessionOptions options,
      OrtSession session,
      boolean probeBatching)
      throws OrtException {
    this.spec = spec;
    this.vectorModel = VectorModel.of(spec.id(), "onnxruntime-" + env.getVersion());
    this.tokenizer = tokenizer;
    this.env = env;
    this.options = options;
    this.session = session;
    Set<String> inputs = session.getInputNames();
    if (!inputs.contains(INPUT_IDS)) {
      throw new IllegalStateException(
          "model " + spec.id() + " has no " + INPUT_IDS + " input; inputs are " + inputs);
    }
    feedMask = inputs.contains(ATTENTION_MASK);
    feedTypeIds = inputs.contains(TOKEN_TYPE_IDS);
    output = hiddenStateOutput(spec, session);
    batchSize = !probeBatching || isBatchInvariant() ? MAX_BATCH : 1;
  }

  /**
   * Loads {@code spec}'s tokenizer and ONNX model from the class path. Takes about a second for the
   * default model; callers that must not wait use {@link EmbeddingProvider}.
   *
   * @throws IllegalStateException if a model file is not on the class path (naming the artifact to
   *     add) or ONNX Runtime cannot load it
   */
  public static OnnxEmbedder load(ModelSpec spec) {
    return load(spec, true);
  }

  /**
   * Loads {@code spec}; with {@code probeBatching} false, batches even a model that is not
   * batch-invariant (for tests of the padding path).
   */
  static OnnxEmbedder load(ModelSpec spec, boolean probeBatching) {
    return load(spec, probeBatching, intraOpThreads());
  }

  /** With {@code threads} intra-op threads ({@code OnnxThreadsBench} compares them). */
  static OnnxEmbedder load(ModelSpec spec, boolean probeBatching, int threads) {
    for (String resource : List.of(spec.onnxResource(), spec.tokenizerResource())) {
      if (!ClassPathResources.exists(resource)) {
        String fix =
            ModelCatalog.artifactOf(spec)
                .map(artifact -> "add artifact " + artifact)
                .orElse("add the artifact that ships it");
        throw new IllegalStateException(
            "model " + spec.id() + " not on the class path (" + resource + " missing): " + fix);
      }
    }
    long start = System.nanoTime();
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromResource(spec.tokenizerResource());
    byte[] model;
    try {
      model = ClassPathResources.read(spec.onnxResource());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + spec.onnxResource(), e);
    }
    NativeLibraries.beforeOnnxRuntime();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    removeLoaderTempDir();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      options.setIntraOpNumThreads(threads);
      // One request's batch is one graph run; parallel branches are not worth extra threads.
      options.setInterOpNumThreads(1);
      // ONNX Runtime's workers spin after each run by default, holding both cores of a small
      // machine while Lucene searches right after the query embedding: about +10 ms a search
      // (LatencyBench, 2 cores). Sleeping workers cost well under a millisecond to wake.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(model, options);
      OnnxEmbedder embedder =
          new OnnxEmbedder(spec, tokenizer, env, options, session, probeBatching);
      log.info(
          "Loaded embedding model {} in {} ms ({} inference threads, {})",
          spec.id(),
          (System.nanoTime() - start) / 1_000_000,
          intraOpThreads(),
          embedder.batchSize > 1 ? "batches of up to " + MAX_BATCH : "one text per run");
      return embedder;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      options.close();
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException("ONNX Runtime cannot load model " + spec.id() + ": " + e, e);
    }
  }

  /**
   * Whether {@link #embedDocuments} runs several texts per model call: true unless the model's
   * vectors depend on their batch-mates.
   */
  public boolean batches() {
    return batchSize > 1;
  }

  /** How many word pieces {@code text} is to the model, truncated as a run truncates it. */
  int tokenCount(String text) {
    return tokenizer.encode(text, spec.maxTokens()).length();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** The model's id and the version of the ONNX Runtime native library that runs it. */
  @Override
  public String vectorModel() {
    return vectorModel;
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    return embed(texts, "");
  }

  @Override
  public float[] embedQuery(String query) {
    lifecycle.readLock().lock(); // a closed embedder refuses even a query it kept
    try {
      if (closed) {
        throw new IllegalStateException("embedder for " + spec.id() + " is closed");
      }
      return queries.get(query, q -> embed(List.of(q), spec.queryPrefix()).get(0));
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(session);
      options.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private List<float[]> embed(List<String> texts, String prefix) {
    int n = texts.size();
    if (n == 0) {
      return List.of();
    }
    WordPieceTokenizer.Encoding[] encodings = new WordPieceTokenizer.Encoding[n];
    for (int i = 0; i < n; i++) {
      encodings[i] = tokenizer.encode(prefix + texts.get(i), spec.maxTokens());
    }
    // Shortest first, so each batch pads to a length close to its members' own.
    int[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingInt(i -> encodings[i].length()))
            .mapToInt(Integer::intValue)
            .toArray();
    float[][] vectors = new float[n][];
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("embedder for " + spec.id() + " is closed");
      }
      List<int[]> calls = new ArrayList<>();
      int from = 0;
      while (from < n) {
        int to = from + 1;
        while (to < n
            && to - from < batchSize
            && (to - from + 1) * encodings[order[to]].length() <= MAX_BATCH_TOKENS) {
          to++;
        }
        calls.add(Arrays.copyOfRange(order, from, to));
        from = to;
      }
      runSideBySide(calls, encodings, vectors);
    } finally {
      lifecycle.readLock().unlock();
    }
    return List.of(vectors);
  }

  /**
   * Runs {@code calls} (each a list of text indexes for one model call) on the caller and, when
   * there are several, on up to one common-pool task per other core, each taking the next call. One
   * intra-op thread per run ({@link #intraOpThreads}), so a list's wall shrinks with the cores and
   * each text's vector is its own. Returns only when no run is left in flight: the caller's read
   * lock must outlast every run, or {@link #close} could free a session a run still reads.
   */
  private void runSideBySide(
      List<int[]> calls, WordPieceTokenizer.Encoding[] encodings, float[][] vectors) {
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          try {
            for (int i; (i = next.getAndIncrement()) < calls.size(); ) {
              int[] members = calls.get(i);
              float[][] batch = run(encodings, members);
              for (int k = 0; k < members.length; k++) {
                vectors[members[k]] = batch[k];
              }
            }
          } catch (OrtException e) {
            throw new IllegalStateException(
                "embedding with model " + spec.id() + " failed: " + e, e);
          } finally {
            next.set(calls.size()); // after a failure, the others stop at their next call
          }
        };
    int helpers = Math.min(calls.size(), MAX_SIDE_BY_SIDE) - 1;
    List<ForkJoinTask<?>> tasks = new ArrayList<>();
    for (int h = 0; h < helpers; h++) {
      tasks.add(ForkJoinPool.commonPool().submit(worker));
    }
    RuntimeException failure = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failure = e;
    }
    for (ForkJoinTask<?> t : tasks) {
      try {
        t.join();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Embeds the probe text alone and beside a longer one: a batch-invariant model gives the same
   * vector both ways (float models agree to about 1e-7; int8 ones differ by 1e-3 and more).
   */
  private boolean isBatchInvariant() throws OrtException {
    WordPieceTokenizer.Encoding[] probe = {
      tokenizer.encode("Batch invariance probe.", spec.maxTokens()),
      tokenizer.encode(
          "A longer and different text, so that both padding and a batch-mate are involved.",
          spec.maxTokens())
    };
    float[] alone = run(probe, new int[] {0})[0];
    float[] together = run(probe, new int[] {0, 1})[0];
    double cosine = 0;
    for (int i = 0; i < alone.length; i++) {
      cosine += (double) alone[i] * together[i];
    }
    return cosine > 1 - 1e-5;
  }

  /**
   * Embeds the texts at {@code members} (ascending length) in one model call, padded to the
   * longest; returns their vectors in {@code members} order.
   */
  private float[][] run(WordPieceTokenizer.Encoding[] encodings, int[] members)
      throws OrtException {
    return run(
        encodings,
        members,
        (states, row, length, dims, tokens) -> normalize(pool(states, row, length, dims, tokens)),
        float[][]::new);
  }

  /** Reads one row of {@code [batch, length, dims]} hidden states whose first tokens are real. */
  private interface RowReader<T> {
    T read(FloatBuffer states, int row, int length, int dims, int tokens);
  }

  /**
   * The hidden states of one text's word pieces, each L2-normalised, without {@code [CLS]} and
   * {@code [SEP]}: what token-level late interaction (max-sim of query tokens over a memory's
   * tokens) compares. Measured as a relevance feature by {@code LateInteractionFit}.
   */
  public float[][] tokenVectors(String text) {
    WordPieceTokenizer.Encoding[] one = {tokenizer.encode(text, spec.maxTokens())};
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("embedder for " + spec.id() + " is closed");
      }
      return run(
          one,
          new int[] {0},
          (states, row, length, dims, tokens) -> {
            float[][] out = new float[Math.max(0, tokens - 2)][];
            for (int t = 1; t < tokens - 1; t++) {
              float[] v = new float[dims];
              states.get(row * length * dims + t * dims, v);
              out[t - 1] = normalize(v);
            }
            return out;
          },
          float[][][]::new)[0];
    } catch (OrtException e) {
      throw new IllegalStateException("embedding with model " + spec.id() + " failed: " + e, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private <T> T[] run(
      WordPieceTokenizer.Encoding[] encodings,
      int[] members,
      RowReader<T> reader,
      java.util.function.IntFunction<T[]> array)
      throws OrtException {
    int batch = members.length;
    int length = encodings[members[batch - 1]].length();
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    long[] typeIds = new long[batch * length];
    Arrays.fill(ids, tokenizer.padId());
    for (int row = 0; row < batch; row++) {
      WordPieceTokenizer.Encoding e = encodings[members[row]];
      System.arraycopy(e.ids(), 0, ids, row * length, e.length());
      System.arraycopy(e.attentionMask(), 0, mask, row * length, e.length());
      System.arraycopy(e.typeIds(), 0, typeIds, row * length, e.length());
    }
    long[] shape = {batch, length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor =
            feedMask ? OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape) : null;
        OnnxTensor typeTensor =
            feedTypeIds ? OnnxTensor.createTensor(env, LongBuffer.wrap(typeIds), shape) : null) {
      inputs.put(INPUT_IDS, idsTensor);
      if (maskTensor != null) {
        inputs.put(ATTENTION_MASK, maskTensor);
      }
      if (typeTensor != null) {
        inputs.put(TOKEN_TYPE_IDS, typeTensor);
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
        OnnxValue value = result.get(0);
        if (!(value instanceof OnnxTensor)) {
          throw new IllegalStateException("model output " + output + " is not a tensor");
        }
        OnnxTensor hidden = (OnnxTensor) value;
        long[] outShape = hidden.getInfo().getShape();
        int dims = spec.dimensions();
        if (outShape.length != 3 || outShape[2] != dims) {
          throw new IllegalStateException(
              "model "
                  + spec.id()
                  + " returned shape "
                  + Arrays.toString(outShape)
                  + ", expected [batch, tokens, "
                  + dims
                  + "]");
        }
        FloatBuffer states = hidden.getFloatBuffer();
        T[] rows = array.apply(batch);
        for (int row = 0; row < batch; row++) {
          rows[row] = reader.read(states, row, length, dims, encodings[members[row]].length());
        }
        return rows;
      }
    }
  }

  /**
   * Pools one row of {@code [batch, length, dims]} hidden states. Real tokens are the first {@code
   * tokens} positions (attention mask 1); padding follows them.
   */
  private float[] pool(FloatBuffer states, int row, int length, int dims, int tokens) {
    float[] v = new float[dims];
    int base = row * length * dims;
    if (spec.pooling() == Pooling.CLS) {
      states.get(base, v);
      return v;
    }
    for (int t = 0; t < tokens; t++) {
      int offset = base + t * dims;
      for (int d = 0; d < dims; d++) {
        v[d] += states.get(offset + d);
      }
    }
    for (int d = 0; d < dims; d++) {
      v[d] /= tokens;
    }
    return v;
  }

  private static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float scale = (float) (1 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
    }
    return v;
  }

  /** {@code last_hidden_state}, or else the model's only rank-3 float output. */
  private static String hiddenStateOutput(ModelSpec spec, OrtSession session) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    if (outputs.containsKey(LAST_HIDDEN_STATE)) {
      return LAST_HIDDEN_STATE;
    }
    List<String> candidates = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo
          && ((TensorInfo) e.getValue().getInfo()).getShape().length == 3) {
        candidates.add(e.getKey());
      }
    }
    if (candidates.size() != 1) {
      throw new IllegalStateException(
          "model " + spec.id() + " has no single token-embedding output among " + outputs.keySet());
    }
    return candidates.get(0);
  }

  /**
   * One inference thread: a store's or a query's text is short, and a second thread is woken and
   * put back to sleep for each of the graph's parallel operators (~80 context switches a store in
   * the daemon). With one, an embedding took 4.27 against 5.32 ms of process CPU and 4.37 against
   * 5.33 ms wall p50 (2 cores, load 11-14), and the vectors were the same bit for bit ({@code
   * OnnxThreadsBench}, BENCHMARKS.md session 23). A list of texts (a backfill, an import, an
   * ingest's sentences) gets its cores back by running its model calls side by side ({@link
   * #embedDocuments}).
   */
  private static int intraOpThreads() {
    return 1;
  }

  private static void closeQuietly(OrtSession session) {
    if (session == null) {
      return;
    }
    try {
      session.close();
    } catch (OrtException e) {
      log.warn("Closing ONNX session failed", e);
    }
  }

  /**
   * ONNX Runtime's loader makes an {@code onnxruntime-java*} temp folder even when it loads the
   * libraries from {@code onnxruntime.native.path}, and deletes it only at a normal exit: a killed
   * process would leave it behind. Loading from the cache leaves it empty, so it goes at once (a
   * folder holding libraries is not empty, and stays).
   */
  private static void removeLoaderTempDir() {
    if (System.getProperty("onnxruntime.native.path") == null) {
      return;
    }
    try {
      java.lang.reflect.Field field =
          Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
      if (field.trySetAccessible() && field.get(null) instanceof Path dir) {
        Files.deleteIfExists(dir);
      }
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      log.debug("ONNX Runtime's temp folder stays until exit: {}", e.toString());
    }
  }
}
