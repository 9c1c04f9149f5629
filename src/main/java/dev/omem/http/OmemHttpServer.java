package dev.omem.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.service.IdempotentWrites;
import dev.omem.service.MemoryService;
import dev.omem.service.Tenants;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code omem serve}: ourmem's REST dialect and MCP over Streamable HTTP at {@code /mcp}, on one
 * Jetty server, one port and one key check.
 */
public final class OmemHttpServer implements AutoCloseable {
  /** Jetty's threads: enough for 32 concurrent clients plus MCP streams on a small machine. */
  private static final int MAX_THREADS = 128;

  /**
   * Route workers. A store waits for the write lock on its worker, so with 16 (until issue 19) the
   * stores of a 32-client mixed load held every worker and the searches queued behind them; 64 lets
   * each of 32 clients (and the MCP streams beside them) have one. The cores, not this, bound the
   * work running at once: most workers wait.
   */
  private static final int WORKERS = 64;

  /**
   * The request line and headers: a search query of the longest allowed length (4,000 characters,
   * up to 9 bytes each percent-encoded) fits in a GET, so it gets the query-length message rather
   * than Jetty's 8 KiB default's 414; anything longer is a 414 in the error envelope.
   */
  static final int REQUEST_HEADER_BYTES = 64 * 1024;

  private final Server jetty;
  private final ServerConnector connector;
  private final List<AutoCloseable> closeAfterStop;
  private final ExecutorService workers;
  private final AtomicLong lastRequestNanos = new AtomicLong(System.nanoTime());
  private final Router router = new Router();
  private final ServerMetrics metrics;
  private final RequestLog requestLog;

  /**
   * What a server mounts beside the REST routes, each optional (null): the MCP transport's servlet
   * at {@code /mcp} (it reads the caller from {@link dev.omem.service.Caller#REQUEST_ATTRIBUTE})
   * and the hooks route, and the web UI at {@code /ui/} (and {@code /}, which sends a browser
   * there; it signs in by its own session cookie, {@link ApiGate#uiPath}). The faces that own them
   * are built by whoever starts the server (the CLI), so that this face imports no other; {@code
   * closeAfterStop} runs, in order, once the last request is done (queued hook captures finish
   * before the store closes).
   */
  public record Mounts(
      HttpServlet mcp, HookResponder hooks, List<AutoCloseable> closeAfterStop, HttpServlet ui) {
    public static final Mounts NONE = new Mounts(null, null, List.of());

    public Mounts(HttpServlet mcp, HookResponder hooks, List<AutoCloseable> closeAfterStop) {
      this(mcp, hooks, closeAfterStop, null);
    }
  }

  private OmemHttpServer(
      MemoryService service,
      Tenants tenants,
      ServeSettings settings,
      String version,
      Mounts mounts,
      IdempotentWrites idempotent,
      Operations ops) {
    // A body is one JSON value: `{"content": "a"} junk` is malformed, not the object before it.
    ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    new AccountRoutes(service, tenants, settings, version).register(router);
    new KeyRoutes(tenants.keys()).register(router);
    new MemoryRoutes(service).register(router);
    new SpaceRoutes(service).register(router);
    new ImportRoutes(service).register(router);
    new OmpRoutes(service).register(router);
    new Mem9Routes(service).register(router);
    this.metrics = ops.metrics() ? new ServerMetrics(ops.probe()) : null;
    this.requestLog = ops.requestLog();
    new OperationsRoutes(ops, metrics).register(router);
    this.closeAfterStop = mounts.closeAfterStop();
    if (mounts.hooks() != null) {
      new HookRoutes(mounts.hooks()).register(router);
    }
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "omem-http-worker");
              t.setDaemon(true);
              return t;
            });

    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
    threads.setName("omem-http");
    this.jetty = new Server(threads);
    this.connector = new ServerConnector(jetty);
    HttpConfiguration http =
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
    http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
    // ourmem's clients percent-encode a space id's slash (team%2F<uuid>); the router decodes it
    // (EncodedPath), and the gate keeps such paths to /v1/ without dot segments.
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "omem-encoded-slash", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    jetty.addConnector(connector);

    ServletContextHandler ctx = new ServletContextHandler("/");
    ctx.getServletHandler().setDecodeAmbiguousURIs(true); // the same encoded slash, past servlets
    if (mounts.mcp() != null) {
      ServletHolder mcpHolder = new ServletHolder("mcp", mounts.mcp());
      mcpHolder.setAsyncSupported(true);
      ctx.addServlet(mcpHolder, ApiGate.MCP_PATH);
    }
    if (mounts.ui() != null) {
      ServletHolder ui = new ServletHolder("ui", mounts.ui());
      ctx.addServlet(ui, ApiGate.UI_PATH + "/*");
      ctx.addServlet(ui, ""); // exactly "/": a browser opening the server lands on the UI
    }
    ctx.addServlet(
        new ServletHolder("api", new ApiServlet(router, json, settings, workers, idempotent)),
        "/*");
    if (settings.ourmemOnly()) {
      // before the gate, so the caller it reads has no omem extension in it
      ctx.addFilter(
          new FilterHolder(new OurmemOnlyFilter(json)), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    FilterHolder gate =
        new FilterHolder(
            new ApiGate(tenants, settings, json, lastRequestNanos, mounts.ui() != null));
    gate.setAsyncSupported(true);
    if (metrics != null || requestLog != null) {
      FilterHolder observer = new FilterHolder(new RequestObserver(router, metrics, requestLog));
      observer.setAsyncSupported(true);
      ctx.addFilter(observer, "/*", EnumSet.of(DispatcherType.REQUEST)); // before the gate
    }
    ctx.addFilter(gate, "/*", EnumSet.of(DispatcherType.REQUEST));
    EnvelopeErrorHandler errors = new EnvelopeErrorHandler(json);
    jetty.setErrorHandler(errors);
    ctx.setErrorHandler(errors);
    jetty.setHandler(ctx);
    jetty.setStopTimeout(5_000);
  }

  /** Starts serving the REST routes only; the port is bound when this returns. */
  public static OmemHttpServer start(
      MemoryService service, Tenants tenants, ServeSettings settings, String version)
      throws Exception {
    return start(service, tenants, settings, version, Mounts.NONE);
  }

  /** Starts serving the REST routes and {@code mounts}; the port is bound when this returns. */
  public static OmemHttpServer start(
      MemoryService service, Tenants tenants, ServeSettings settings, String version, Mounts mounts)
      throws Exception {
    return start(service, tenants, settings, version, mounts, null);
  }

  /**
   * Starts serving, writes with an {@code Idempotency-Key} applied once through {@code idempotent}
   * (null: the key is ignored).
   */
  public static OmemHttpServer start(
      MemoryService service,
      Tenants tenants,
      ServeSettings settings,
      String version,
      Mounts mounts,
      IdempotentWrites idempotent)
      throws Exception {
    return start(service, tenants, settings, version, mounts, idempotent, Operations.NONE);
  }

  /** Starts serving, with {@code ops}' readiness, metrics and request log ({@link Operations}). */
  public static OmemHttpServer start(
      MemoryService service,
      Tenants tenants,
      ServeSettings settings,
      String version,
      Mounts mounts,
      IdempotentWrites idempotent,
      Operations ops)
      throws Exception {
    OmemHttpServer s =
        new OmemHttpServer(service, tenants, settings, version, mounts, idempotent, ops);
    try {
      s.jetty.start();
    } catch (Exception e) {
      s.closeMounts();
      throw e;
    }
    return s;
  }

  /** Every REST route as {@code METHOD /pattern} (the MCP mount is not one of them). */
  List<String> routes() {
    return router.routes();
  }

  /** The bound port (the chosen one when the settings asked for 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** How long ago the last request arrived; the local daemon exits after a quiet period. */
  public Duration quietFor() {
    return Duration.ofNanos(System.nanoTime() - lastRequestNanos.get());
  }

  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("omem serve did not stop cleanly", e);
    } finally {
      closeMounts();
      workers.shutdown();
      if (metrics != null) {
        metrics.close();
      }
      try {
        if (requestLog != null) {
          requestLog.close();
        }
      } catch (java.io.IOException e) {
        // the last lines are flushed with every write; nothing is lost
      }
    }
  }

  private void closeMounts() {
    for (AutoCloseable c : closeAfterStop) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("omem serve did not stop cleanly: " + c, e);
      }
    }
  }
}
