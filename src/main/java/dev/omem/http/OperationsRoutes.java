package dev.omem.http;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /ready}: the store answers and this node's index is within {@code readyMaxLag} changes
 * of the change log (a load balancer sends it traffic), else 503 in the error envelope; and {@code
 * GET /metrics} in Prometheus' text format. {@code /health} stays "the process is alive" ({@link
 * AccountRoutes}).
 */
final class OperationsRoutes {
  private final Operations ops;
  private final ServerMetrics metrics;

  OperationsRoutes(Operations ops, ServerMetrics metrics) {
    this.ops = ops;
    this.metrics = metrics;
  }

  void register(Router r) {
    if (ops.probe() != null) {
      r.add("GET", "/ready", req -> ready());
    }
    if (metrics != null) {
      r.add(
          "GET",
          "/metrics",
          req -> Reply.ok(new TextBody(ServerMetrics.CONTENT_TYPE, metrics.scrape())));
    }
  }

  private Reply ready() {
    ops.probe().checkStorage();
    long lag = ops.probe().indexLag();
    if (lag > ops.readyMaxLag()) {
      throw new OmemException(
          ErrorCode.UNAVAILABLE,
          "the index is "
              + lag
              + " changes behind the change log (ready within "
              + ops.readyMaxLag()
              + ")");
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("status", "ready");
    j.put("index_lag", lag);
    return Reply.ok(j);
  }
}
