package dev.omem.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.Tenants;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The middleware every request passes: body size, API key, rate limit, and the {@link Caller} the
 * handlers act as. Public routes ({@code GET /health}, {@code POST /v1/tenants}) pass without a
 * key, except on the local daemon, where every route needs the daemon's token and nothing else. An
 * MCP session belongs to the key that opened it: another key naming its {@code Mcp-Session-Id} is
 * answered 404, as a session that does not exist; once that key is revoked, every message of the
 * session is refused (401), as every request with it is.
 */
final class ApiGate extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private final transient Tenants tenants;
  private final transient ServeSettings settings;
  private final transient RateLimiter limiter;
  private final transient ObjectMapper json;
  private final transient AtomicLong lastRequestNanos;
  private final boolean uiMounted;

  /** MCP session id → the key that opened it ({@link #ownerName}). */
  private final transient Map<String, String> mcpSessions = new ConcurrentHashMap<>();

  static final String MCP_PATH = "/mcp";
  static final String UI_PATH = "/ui";
  static final String SESSION_HEADER = "Mcp-Session-Id";

  ApiGate(
      Tenants tenants,
      ServeSettings settings,
      ObjectMapper json,
      AtomicLong lastRequestNanos,
      boolean uiMounted) {
    this.uiMounted = uiMounted;
    this.tenants = tenants;
    this.settings = settings;
    this.limiter = new RateLimiter(settings.requestsPerSecond(), settings.burst());
    this.json = json;
    this.lastRequestNanos = lastRequestNanos;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    lastRequestNanos.set(System.nanoTime());
    Dialect dialect = Dialect.of(req);
    String encodedSlash = EncodedPath.refused(req.getRequestURI());
    if (encodedSlash != null) {
      new ApiError(400, "bad_request", encodedSlash).write(resp, json, dialect);
      return;
    }
    int limit = BodyLimit.of(req, settings);
    if (req.getContentLengthLong() > limit) {
      OversizeBody.answer(req, resp, json, limit);
      return;
    }
    if (uiPath(req)) {
      chain.doFilter(req, resp); // the UI's own sessions (ui.UiServlet); keys are never read there
      return;
    }
    if (isPublic(req) && !settings.daemon()) {
      chain.doFilter(req, resp);
      return;
    }
    String key = dialect.key(req);
    if (key == null) {
      unauthorized(resp, dialect, dialect.missingKey());
      return;
    }
    KeyOwner owner = ownerOf(key);
    if (!owner.known()) {
      unauthorized(resp, dialect, "unknown API key");
      return;
    }
    if (owner.tenantId() != null) {
      long wait = limiter.acquire(owner.tenantId());
      if (wait > 0) {
        resp.setHeader("Retry-After", Long.toString(wait));
        new ApiError(429, "rate_limited", "too many requests for this key; retry in " + wait + " s")
            .write(resp, json, dialect);
        return;
      }
    }
    Caller caller;
    try {
      caller = caller(req, owner.tenantId());
    } catch (OmemException e) {
      ApiError.of(e).write(resp, json, dialect); // a query string that is not URL-encoded
      return;
    }
    req.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);
    if (req.getRequestURI().equals(MCP_PATH)) {
      mcp(req, resp, chain, ownerName(owner));
      return;
    }
    chain.doFilter(req, resp);
  }

  private void unauthorized(HttpServletResponse resp, Dialect dialect, String why)
      throws IOException {
    if (dialect == Dialect.OMP) {
      resp.setHeader("WWW-Authenticate", "Bearer"); // RFC 6750: the scheme the key goes in
    }
    new ApiError(401, "unauthorized", why).write(resp, json, dialect);
  }

  /**
   * Passes an MCP request on if its session (if it names one) was opened by the same key owner, and
   * remembers who opens a new one. The SDK would let any valid key use, or end, any session whose
   * id it learns; the caller a tool acts as comes from the key in any case, so this keeps one
   * tenant from ending or listening on another's session. The SDK's error answers become the error
   * envelope ({@link McpResponse}).
   */
  private void mcp(HttpServletRequest req, HttpServletResponse resp, FilterChain chain, String who)
      throws IOException, ServletException {
    String session = header(req, SESSION_HEADER);
    if (session != null) {
      String holder = mcpSessions.get(session);
      // Another key's session and one that never was get the same answer (issue 12): every
      // session is opened through this gate, so one it does not know is unknown to the SDK too.
      if (holder == null || !holder.equals(who)) {
        new ApiError(404, "not_found", "no MCP session " + session + " for this key")
            .write(resp, json);
        return;
      }
    }
    McpResponse answer = new McpResponse(resp, json, id -> mcpSessions.putIfAbsent(id, who));
    chain.doFilter(req, answer);
    answer.complete();
    if (session != null) {
      int status = answer.getStatus();
      boolean ended = req.getMethod().equals("DELETE") && status < 300;
      if (ended || status == 404) {
        mcpSessions.remove(session); // ended, or unknown to the SDK (which answers 404)
      }
    }
  }

  /**
   * Who holds a key, as a name: the key's id (a session belongs to one key, not to all of its
   * tenant's), or one name for the local daemon's token.
   */
  private static String ownerName(KeyOwner owner) {
    return owner.tenantId() == null ? "local" : "key:" + owner.keyId();
  }

  /**
   * Who holds a key: a tenant's key; or, for the local daemon's token, the store's own tenant (a
   * null id, and no rate limit: it is the machine's owner); or nobody. Looked up on every request,
   * never cached, so a rotated or revoked key is refused on the next one, MCP messages included.
   */
  private record KeyOwner(boolean known, String tenantId, String keyId) {}

  private KeyOwner ownerOf(String key) {
    if (settings.localToken() != null && Tenants.sameSecret(key, settings.localToken())) {
      return new KeyOwner(true, null, null);
    }
    if (settings.daemon()) {
      return new KeyOwner(false, null, null); // the daemon's port is its owner's alone
    }
    return tenants
        .keys()
        .authenticate(key)
        .map(h -> new KeyOwner(true, h.tenantId(), h.keyId()))
        .orElse(new KeyOwner(false, null, null));
  }

  /**
   * The web UI's routes, which sign in by the UI's session cookie (and check Host, Origin and CSRF
   * themselves); only when a UI is mounted, else they are API paths that do not exist. The cookie
   * is never accepted anywhere else: this gate reads only {@code X-API-Key}.
   */
  private boolean uiPath(HttpServletRequest req) {
    String path = req.getRequestURI();
    return uiMounted
        && (path.equals("/") || path.equals(UI_PATH) || path.startsWith(UI_PATH + "/"));
  }

  private static boolean isPublic(HttpServletRequest req) {
    String path = req.getRequestURI();
    // /ready and /metrics are for load balancers and scrapers, which hold no tenant key; they
    // tell nothing of any tenant's memories (counts per route pattern, lag, the JVM).
    return (req.getMethod().equals("GET")
            && (path.equals("/health") || path.equals("/ready") || path.equals("/metrics")))
        || (req.getMethod().equals("POST") && path.equals("/v1/tenants"));
  }

  /** The caller: the key's tenant, and the project, agent and session the headers name. */
  private static Caller caller(HttpServletRequest req, String tenantId) {
    String project = header(req, "X-Omem-Project");
    if (project == null) {
      String[] fromQuery = QueryString.parse(req.getQueryString()).get("project");
      project = fromQuery == null ? null : blankToNull(fromQuery[0]);
    }
    // mem9's clients name their agent in X-Mnemo-Agent-Id.
    String agent = header(req, "X-Agent-Id");
    return new Caller(
        tenantId,
        project,
        agent != null ? agent : header(req, "X-Mnemo-Agent-Id"),
        header(req, "X-Omem-Session"));
  }

  private static String header(HttpServletRequest req, String name) {
    return blankToNull(req.getHeader(name));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
