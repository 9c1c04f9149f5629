package dev.omem.http;

import dev.omem.service.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times every request, before the gate so that refusals (401, 429) count too, and writes its
 * metrics and its JSON log line. A request is named by its route's pattern; the query string is
 * never logged (a search's text is the caller's).
 */
final class RequestObserver extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private final transient Router router;
  private final transient ServerMetrics metrics;
  private final transient RequestLog log;

  RequestObserver(Router router, ServerMetrics metrics, RequestLog log) {
    this.router = router;
    this.metrics = metrics;
    this.log = log;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    long t0 = System.nanoTime();
    try {
      chain.doFilter(req, resp);
    } finally {
      long nanos = System.nanoTime() - t0;
      String route = route(req);
      int status = resp.getStatus();
      if (metrics != null) {
        metrics.record(req.getMethod(), route, status, nanos);
      }
      if (log != null) {
        log.write(line(req, route, status, nanos));
      }
    }
  }

  /** The pattern for a REST route; the mounts by their prefix; anything else one name. */
  private String route(HttpServletRequest req) {
    String path = req.getRequestURI();
    if (path.equals(ApiGate.MCP_PATH)) {
      return ApiGate.MCP_PATH;
    }
    if (path.equals("/")
        || path.equals(ApiGate.UI_PATH)
        || path.startsWith(ApiGate.UI_PATH + "/")) {
      return ApiGate.UI_PATH;
    }
    String t = router.template(req.getMethod(), path);
    return t != null ? t : "unmatched";
  }

  private static Map<String, Object> line(
      HttpServletRequest req, String route, int status, long nanos) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("ts", Instant.now().toString());
    j.put("level", status >= 500 ? "error" : status >= 400 ? "warn" : "info");
    j.put("msg", "request");
    j.put("method", req.getMethod());
    j.put("route", route);
    j.put("status", status);
    j.put("duration_ms", Math.round(nanos / 10_000.0) / 100.0);
    j.put("bytes_in", Math.max(0, req.getContentLengthLong()));
    if (req.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller c && c.tenantId() != null) {
      j.put("tenant", c.tenantId());
    }
    j.put("remote", req.getRemoteAddr());
    return j;
  }
}
