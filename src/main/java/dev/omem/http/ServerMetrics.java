package dev.omem.http;

import dev.omem.service.ServerProbe;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters in Prometheus' text format: requests per route (the route's pattern, never
 * the raw path, so ids do not make a series each), the index's lag, the ingest queue, the store's
 * pool when it has one, and the JVM.
 */
final class ServerMetrics implements AutoCloseable {
  /** Prometheus' text format, version 0.0.4: what every scraper reads. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Latency buckets from a cached search (a few ms) to a long ingest (seconds, the 30 s limit):
   * enough for histogram_quantile's p50 and p99 without Micrometer's ~70 default buckets per
   * series.
   */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  ServerMetrics(ServerProbe probe) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (probe != null) {
      gauge(
          "omem.index.lag",
          "change-log entries the index has not applied",
          probe,
          p -> p.indexLag());
      gauge(
          "omem.ingest.queue.depth",
          "ingest tasks pending or running",
          probe,
          p -> p.ingestQueueDepth());
      // The pool's own binding (HikariCP's hikaricp_* meters) rather than a copy of its figures.
      probe.bindStoreMetrics(registry);
    }
  }

  /** A gauge read at scrape time; NaN when the store cannot say. */
  private void gauge(String name, String help, ServerProbe probe, ToDoubleFunction<ServerProbe> f) {
    Gauge.builder(name, probe, p -> safely(() -> f.applyAsDouble(p)))
        .description(help)
        .register(registry);
  }

  private static double safely(java.util.function.DoubleSupplier read) {
    try {
      return read.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A request series: its route's pattern, method and status (few: the routes are fixed). */
  private record Series(String method, String route, int status) {}

  /**
   * The methods named in a series; any other is "OTHER". A client names the method, and each new
   * name would otherwise add a timer (and its histogram) for as long as the server runs.
   */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /**
   * Each series' timer, built once: building and registering it per request (tags sorted, the
   * registry's map searched) was 0.35% of the server's CPU under the team load, more than the
   * record itself (perf, issue 19, BENCHMARKS.md session 23).
   */
  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

  /** One request answered: {@code route} is its pattern, or a fixed name for the unrouted. */
  void record(String method, String route, int status, long nanos) {
    timers
        .computeIfAbsent(
            new Series(METHODS.contains(method) ? method : "OTHER", route, status), this::timer)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(Series s) {
    return Timer.builder("omem.http.requests")
        .description("requests answered, by route pattern and status")
        .tags("method", s.method(), "route", s.route(), "status", Integer.toString(s.status()))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
