package dev.omem.embed;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one embedding model on a background thread, so that the server answers at once and searches
 * fall back (to keyword search, say) until the model is ready. Thread-safe.
 *
 * <p>Lifecycle: {@code "not started"} → {@link #startLoading()} → {@code "loading"} → {@code
 * "ready"} or {@code "failed: <reason>"}. A failed load is not retried.
 */
public final class EmbeddingProvider implements AutoCloseable {

  /** Name of the daemon thread that loads the model. */
  public static final String LOADER_THREAD = "omem-model-loader";

  private static final Logger log = LoggerFactory.getLogger(EmbeddingProvider.class);

  private final ModelSpec spec;
  private final Object lock = new Object();

  // Both guarded by lock. The future is null until loading starts.
  private CompletableFuture<Embedder> loaded;
  private boolean closed;

  /** What the loader waits for before it loads ({@link #loadAfter}); done by default. */
  private volatile CompletableFuture<?> gate = CompletableFuture.completedFuture(null);

  /** Completed by {@link #close()}: a loader still waiting for its gate gives up. */
  private final CompletableFuture<Void> closing = new CompletableFuture<>();

  private final VectorMemo memo = new VectorMemo();

  /** Remembers {@code spec}; loads nothing yet. */
  public EmbeddingProvider(ModelSpec spec) {
    this.spec = spec;
  }

  /**
   * A provider of a model loaded already (a test wraps the real model to count its calls); closing
   * the provider closes it.
   */
  public static EmbeddingProvider of(Embedder loaded) {
    EmbeddingProvider p = new EmbeddingProvider(loaded.spec());
    synchronized (p.lock) {
      p.loaded = CompletableFuture.completedFuture(loaded);
    }
    return p;
  }

  /** The model this provider loads. */
  public ModelSpec spec() {
    return spec;
  }

  /**
   * Document vectors of this provider's model computed moments ago, for the write that follows
   * (smart ingest's classifier puts, the fact writer takes).
   */
  public VectorMemo memo() {
    return memo;
  }

  /**
   * Starts loading the model on a daemon thread named {@value #LOADER_THREAD}, unless loading has
   * started already (or the provider is closed). Returns immediately.
   */
  public void startLoading() {
    synchronized (lock) {
      if (loaded != null || closed) {
        return;
      }
      CompletableFuture<Embedder> future = new CompletableFuture<>();
      loaded = future;
      Thread loader = new Thread(() -> load(future), LOADER_THREAD);
      loader.setDaemon(true);
      loader.start();
    }
  }

  /**
   * Holds the load until {@code signal} completes (normally or not), for a process whose start-up
   * must not share the CPU with the model: the daemon after a kill binds its port and opens its
   * index first (the load takes about a core-second; BENCHMARKS.md, recovery). Until then {@link
   * #ifReady} is empty as while loading: stores are embedded later, searches are BM25 only. Call it
   * before {@link #startLoading()}.
   */
  public void loadAfter(java.util.concurrent.CompletionStage<?> signal) {
    gate = signal.toCompletableFuture();
  }

  /** The embedder if the model has loaded; empty while loading, after a failure or once closed. */
  public Optional<Embedder> ifReady() {
    CompletableFuture<Embedder> future;
    synchronized (lock) {
      if (closed) {
        return Optional.empty();
      }
      future = loaded;
    }
    if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.of(future.join());
  }

  /**
   * Starts loading if needed, then waits up to {@code timeout} for the model. Never throws for a
   * failed load: that gives an empty result, and {@link #status()} says why.
   */
  public Optional<Embedder> awaitReady(Duration timeout) {
    startLoading();
    CompletableFuture<Embedder> future;
    synchronized (lock) {
      future = loaded;
    }
    if (future == null) {
      return Optional.empty(); // closed before loading started
    }
    try {
      future.get(nanos(timeout), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
    return ifReady();
  }

  /**
   * {@code "not started"}, {@code "loading"}, {@code "ready"} or {@code "failed: <reason>"}; once
   * closed, {@code "failed: provider closed"}.
   */
  public String status() {
    CompletableFuture<Embedder> future;
    synchronized (lock) {
      if (closed) {
        return "failed: provider closed";
      }
      future = loaded;
    }
    if (future == null) {
      return "not started";
    }
    if (!future.isDone()) {
      return "loading";
    }
    try {
      future.join();
      return "ready";
    } catch (RuntimeException e) {
      return "failed: " + reason(e.getCause() != null ? e.getCause() : e);
    }
  }

  /**
   * Closes the model. A load still running is waited for (up to a minute) and then closed: a
   * process that exits while ONNX Runtime is inside native session creation crashes (SIGSEGV in
   * {@code OrtSession.createSession}, seen when an MCP client disconnects right after start).
   */
  @Override
  public void close() {
    CompletableFuture<Embedder> future;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      future = loaded;
    }
    closing.complete(null);
    if (future == null) {
      return;
    }
    try {
      future.get(1, java.util.concurrent.TimeUnit.MINUTES).close();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // failed loads hold nothing; a load stuck for a minute is left to the daemon thread
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void load(CompletableFuture<Embedder> future) {
    // A failed signal releases the load as a completed one does.
    CompletableFuture.anyOf(gate, closing).handle((v, e) -> null).join();
    if (closing.isDone()) {
      future.completeExceptionally(new IllegalStateException("provider closed"));
      return;
    }
    log.info("Loading embedding model {} in the background", spec.id());
    Embedder embedder;
    try {
      embedder = OnnxEmbedder.load(spec);
    } catch (Throwable e) { // also Errors, e.g. ONNX Runtime's native library failing to link
      log.warn("Embedding model {} failed to load: {}", spec.id(), reason(e), e);
      future.completeExceptionally(e);
      return;
    }
    future.complete(embedder); // close() waits for this and closes it
  }

  /**
   * The timeout in nanoseconds, clamped to [0, Long.MAX_VALUE] (toNanos overflows at 292 years).
   */
  private static long nanos(Duration timeout) {
    if (timeout.isNegative()) {
      return 0;
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
