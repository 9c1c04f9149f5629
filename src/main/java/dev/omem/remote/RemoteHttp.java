package dev.omem.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * The HTTP half of {@link RemoteMemoryService}: sends one request of the REST dialect
 * (docs/rest-api.md) and turns the answer into JSON or an {@link OmemException}.
 *
 * <p>Failure policy (what a caller can count on):
 *
 * <ul>
 *   <li>Connecting gives up after {@link #CONNECT_TIMEOUT}; each attempt, from connecting to the
 *       answer's last byte, after the config's timeout (okhttp's call timeout).
 *   <li>Idempotent calls (GET, PUT, DELETE) are tried at most {@code 1 + BACKOFF_MS.length} times,
 *       after {@code BACKOFF_MS} pauses, and only when the connection failed or broke, or the
 *       answer was 502, 503 or 504, or a 429 whose {@code Retry-After} is at most {@link
 *       #MAX_RETRY_AFTER}. A 4xx is never retried otherwise.
 *   <li>A POST (store, ingest, batch delete) is sent once: its body is one-shot, so okhttp does not
 *       resend it either. The only exception: a connection refused before anything was sent, when
 *       the {@link Endpoint} offers a new address ({@link Endpoint#reconnect}).
 *   <li>To the local daemon ({@link Endpoint#resendsInFlight}), every write carries an {@code
 *       Idempotency-Key}, and a call whose connection broke in flight is sent again with it, up to
 *       {@link #MAX_RESENDS} times, to the daemon the endpoint finds or starts anew.
 *   <li>No server: {@code UNAVAILABLE}, "omem server at URL is unreachable: reason".
 * </ul>
 */
final class RemoteHttp implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Pauses before the second and third attempt of an idempotent call. */
  static final long[] BACKOFF_MS = {100, 300};

  /** The header that makes a write apply once on the daemon (http.ApiServlet, IdempotentWrites). */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /**
   * How often a call cut by a broken connection is sent again to a daemon found anew: twice covers
   * a kill and the replacement being killed in turn; beyond that the failure is reported.
   */
  static final int MAX_RESENDS = 2;

  /** A 429 asking to wait longer than this fails at once: a hook must not stall. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(1);

  /** Answers larger than this are refused (200 memories of 32 KiB are ~7 MiB of JSON). */
  static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final String USER_AGENT =
      "omem/"
          + Optional.ofNullable(RemoteHttp.class.getPackage().getImplementationVersion())
              .orElse("dev");

  private final Endpoint endpoint;
  private final OkHttpClient base;

  /** One client per timeout; all share {@link #base}'s connection pool and dispatcher. */
  private final Map<Duration, OkHttpClient> clients = new ConcurrentHashMap<>();

  private volatile boolean closed;

  RemoteHttp(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.base =
        new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            // okhttp retries a request on another route (e.g. 127.0.0.1 after ::1) when
            // connecting failed; after a request was sent it retries only bodies that are not
            // one-shot, and ours for POST are (see OneShotJson).
            .retryOnConnectionFailure(true)
            .followRedirects(false)
            .build();
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** One request of the dialect. Null parameters and headers are left out. */
  static final class Req {
    /** The status of the successful answer (201 or 200 tells a new share from a repeat). */
    int answeredStatus;

    final String method;
    final List<String> path;
    final Map<String, String> query = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    Object body;
    Caller caller;
    boolean authenticated = true;
    boolean text;

    private Req(String method, String... path) {
      this.method = method;
      this.path = List.of(path);
    }

    static Req get(String... path) {
      return new Req("GET", path);
    }

    static Req post(String... path) {
      return new Req("POST", path);
    }

    static Req put(String... path) {
      return new Req("PUT", path);
    }

    static Req delete(String... path) {
      return new Req("DELETE", path);
    }

    Req query(String name, Object value) {
      if (value != null) {
        query.put(name, String.valueOf(value));
      }
      return this;
    }

    /** A list parameter, comma-separated as the dialect has it; null or empty: left out. */
    Req query(String name, List<String> values) {
      if (values != null && !values.isEmpty()) {
        query.put(name, String.join(",", values));
      }
      return this;
    }

    Req header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Req body(Object value) {
      this.body = value;
      return this;
    }

    Req caller(Caller c) {
      this.caller = c;
      return this;
    }

    /** The answer is a text (an export), handed back as a JSON text node, not parsed. */
    Req text() {
      this.text = true;
      return this;
    }

    /** Without {@code X-API-Key}: {@code GET /health} is public. */
    Req anonymous() {
      this.authenticated = false;
      return this;
    }

    boolean idempotent() {
      return !method.equals("POST");
    }

    String describe() {
      return method + " /" + String.join("/", path);
    }
  }

  /** What came back from one attempt. */
  private record Answer(int status, String retryAfter, byte[] body) {}

  /** Sends {@code r}, retrying as the class comment says; returns the answer's JSON. */
  JsonNode send(Req r) {
    if (closed) {
      throw new OmemException(ErrorCode.UNAVAILABLE, "the remote memory service is closed");
    }
    byte[] body = r.body == null ? null : bytes(r.body);
    boolean resend = endpoint.resendsInFlight();
    if (resend && !r.method.equals("GET")) {
      r.headers.putIfAbsent(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
    }
    RemoteConfig cfg = endpoint.current();
    boolean reconnected = false;
    int resent = 0;
    int retries = 0;
    while (true) {
      Answer a;
      try {
        a = attempt(cfg, r, body);
      } catch (IOException e) {
        if (neverReachedServer(e) && !reconnected) {
          Optional<RemoteConfig> next = endpoint.reconnect(e);
          if (next.isPresent()) {
            cfg = next.get();
            reconnected = true;
            continue;
          }
        }
        if (resend && resent < MAX_RESENDS) {
          // In flight when the daemon died (or stalled): the same call, same key, to the daemon
          // the endpoint finds or starts now; a write it already applied is answered, not redone.
          Optional<RemoteConfig> next = endpoint.reconnect(e);
          if (next.isPresent()) {
            cfg = next.get();
            resent++;
            continue;
          }
        }
        if (r.idempotent() && retries < BACKOFF_MS.length) {
          pause(BACKOFF_MS[retries++], cfg, e);
          continue;
        }
        throw unreachable(cfg, r, e);
      }
      if (r.idempotent() && retries < BACKOFF_MS.length) {
        if (a.status() == 502 || a.status() == 503 || a.status() == 504) {
          pause(BACKOFF_MS[retries++], cfg, null);
          continue;
        }
        Duration wait = a.status() == 429 ? retryAfter(a.retryAfter()) : null;
        if (wait != null && wait.compareTo(MAX_RETRY_AFTER) <= 0) {
          retries++;
          pause(wait.toMillis(), cfg, null);
          continue;
        }
      }
      if (a.status() >= 200 && a.status() < 300) {
        r.answeredStatus = a.status();
        return parse(cfg, r, a);
      }
      throw error(cfg, r, a);
    }
  }

  private Answer attempt(RemoteConfig cfg, Req r, byte[] body) throws IOException {
    Request request = request(cfg, r, body);
    try (Response resp = client(cfg).newCall(request).execute()) {
      return new Answer(resp.code(), resp.header("Retry-After"), read(resp.body()));
    }
  }

  private Request request(RemoteConfig cfg, Req r, byte[] body) {
    HttpUrl.Builder url = HttpUrl.get(cfg.url().toString()).newBuilder();
    for (String segment : r.path) {
      url.addPathSegment(segment);
    }
    r.query.forEach(url::addQueryParameter);
    Headers.Builder h = new Headers.Builder();
    h.add("Accept", "application/json");
    h.add("User-Agent", USER_AGENT);
    if (r.authenticated) {
      h.add("X-API-Key", cfg.apiKey());
    }
    Caller c = r.caller;
    if (c != null) {
      if (c.project() != null) {
        if (headerSafe(c.project())) {
          h.add("X-Omem-Project", c.project());
        } else {
          // A header carries ASCII only; the query parameter is percent-encoded UTF-8 and means
          // the same (docs/rest-api.md, "Caller context headers").
          url.addQueryParameter("project", c.project());
        }
      }
      addLenient(h, "X-Agent-Id", c.agentId());
      addLenient(h, "X-Omem-Session", c.sessionId());
    }
    r.headers.forEach((name, value) -> addLenient(h, name, value));
    RequestBody rb =
        body == null
            ? null
            : r.idempotent() ? RequestBody.create(body, JSON_TYPE) : new OneShotJson(body);
    return new Request.Builder().url(url.build()).headers(h.build()).method(r.method, rb).build();
  }

  /** A body okhttp may send only once: never resent on a connection reused and broken. */
  private static final class OneShotJson extends RequestBody {
    private final byte[] bytes;

    OneShotJson(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public MediaType contentType() {
      return JSON_TYPE;
    }

    @Override
    public long contentLength() {
      return bytes.length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(bytes);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }

  private static boolean headerSafe(String v) {
    return v.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f);
  }

  /**
   * Agent and session ids are labels: control characters are dropped (no header injection) and
   * other characters are sent as UTF-8.
   */
  private static void addLenient(Headers.Builder h, String name, String value) {
    if (value == null) {
      return;
    }
    String v =
        value
            .codePoints()
            .filter(ch -> ch >= 0x20 && ch != 0x7f)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString()
            .strip();
    if (!v.isEmpty()) {
      h.addUnsafeNonAscii(name, v);
    }
  }

  private OkHttpClient client(RemoteConfig cfg) {
    return clients.computeIfAbsent(
        cfg.timeout(),
        t -> base.newBuilder().readTimeout(t).writeTimeout(t).callTimeout(t).build());
  }

  private static byte[] read(ResponseBody body) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    if (body.contentLength() > MAX_ANSWER_BYTES) {
      throw new IOException("the answer is " + body.contentLength() + " bytes, too large");
    }
    BufferedSource src = body.source();
    if (src.request(MAX_ANSWER_BYTES + 1)) {
      throw new IOException("the answer is more than " + MAX_ANSWER_BYTES + " bytes, too large");
    }
    return src.readByteArray();
  }

  private static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  // ---- answers ----

  private static JsonNode parse(RemoteConfig cfg, Req r, Answer a) {
    if (r.text) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(
          new String(a.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    if (a.body().length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(a.body());
    } catch (IOException e) {
      throw new OmemException(
          ErrorCode.INTERNAL,
          "omem server at "
              + cfg.url()
              + " answered "
              + r.describe()
              + " with something that is not JSON (is it an omem or ourmem server?): "
              + snippet(a.body()));
    }
  }

  private static OmemException error(RemoteConfig cfg, Req r, Answer a) {
    String code = null;
    String message = null;
    try {
      JsonNode j = JSON.readTree(a.body());
      JsonNode e = j == null ? null : j.get("error");
      if (e != null && e.isObject()) {
        code = e.hasNonNull("code") ? e.get("code").asText() : null;
        message = e.hasNonNull("message") ? e.get("message").asText() : null;
      } else if (e != null && e.isTextual()) {
        message = e.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: described below
    }
    ErrorCode kind = code == null ? null : fromWire(code);
    if (kind == null) {
      kind = fromStatus(a.status());
    }
    if (kind == ErrorCode.UNAUTHORIZED) {
      return new OmemException(
          kind,
          "the API key ("
              + RemoteConfig.KEY_VARIABLE
              + ") was refused by "
              + cfg.url()
              + (message == null ? "" : ": " + message));
    }
    if (message == null || message.isBlank()) {
      String s = snippet(a.body());
      message =
          "omem server at "
              + cfg.url()
              + " answered "
              + a.status()
              + " to "
              + r.describe()
              + (s.isEmpty() ? "" : ": " + s);
    } else if (a.status() >= 500) {
      message = "omem server at " + cfg.url() + ": " + message;
    }
    if (kind == ErrorCode.RATE_LIMITED && a.retryAfter() != null) {
      message += " (the server asks to retry after " + a.retryAfter().trim() + " s)";
    }
    return new OmemException(kind, message);
  }

  /** The envelope's code; null for one omem does not know (then the status decides). */
  static ErrorCode fromWire(String code) {
    return switch (code.trim().toLowerCase(Locale.ROOT)) {
      case "validation_error", "payload_too_large" -> ErrorCode.VALIDATION;
      case "unauthorized" -> ErrorCode.UNAUTHORIZED;
      case "forbidden" -> ErrorCode.FORBIDDEN;
      case "not_found" -> ErrorCode.NOT_FOUND;
      case "conflict" -> ErrorCode.CONFLICT;
      case "rate_limited" -> ErrorCode.RATE_LIMITED;
      case "timeout", "unavailable" -> ErrorCode.UNAVAILABLE;
      case "internal_error" -> ErrorCode.INTERNAL;
      default -> null;
    };
  }

  static ErrorCode fromStatus(int status) {
    return switch (status) {
      case 400, 413, 422 -> ErrorCode.VALIDATION;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 409 -> ErrorCode.CONFLICT;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 502, 503, 504 -> ErrorCode.UNAVAILABLE;
      default -> ErrorCode.INTERNAL;
    };
  }

  /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.trim();
    try {
      long s = Long.parseLong(v);
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
    s = s.replaceAll("\\s+", " ");
    return body.length > 300 ? s + "…" : s;
  }

  // ---- failures ----

  /** Whether {@code e} happened before any byte of the request reached a server. */
  static boolean neverReachedServer(IOException e) {
    return e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException
        || (e instanceof SocketTimeoutException
            && e.getMessage() != null
            && e.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out"));
  }

  private static OmemException unreachable(RemoteConfig cfg, Req r, IOException e) {
    String maybeApplied =
        !r.idempotent() && !neverReachedServer(e)
            ? " (the " + r.describe() + " may have been applied: check before sending it again)"
            : "";
    return new OmemException(
        ErrorCode.UNAVAILABLE,
        "omem server at " + cfg.url() + " is unreachable: " + reason(cfg, e) + maybeApplied,
        e);
  }

  static String reason(RemoteConfig cfg, IOException e) {
    if (e instanceof UnknownHostException) {
      return "unknown host '" + cfg.url().getHost() + "'";
    }
    if (neverReachedServer(e) && e instanceof SocketTimeoutException) {
      return "no connection within " + CONNECT_TIMEOUT.toMillis() + " ms";
    }
    if (e instanceof InterruptedIOException) { // read, write or call timeout
      return "no answer within " + cfg.timeout().toMillis() + " ms";
    }
    String innermost = innermostMessage(e);
    if (e instanceof ConnectException
        && innermost != null
        && innermost.toLowerCase(Locale.ROOT).contains("refused")) {
      return "connection refused";
    }
    return innermost != null ? innermost : e.getClass().getSimpleName();
  }

  private static String innermostMessage(Throwable e) {
    List<Throwable> seen = new ArrayList<>();
    String message = null;
    for (Throwable t = e; t != null && !seen.contains(t); t = t.getCause()) {
      seen.add(t);
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message;
  }

  private static void pause(long millis, RemoteConfig cfg, IOException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new OmemException(
          ErrorCode.UNAVAILABLE,
          "interrupted while waiting to retry a call to the omem server at " + cfg.url(),
          cause);
    }
  }

  /** Releases okhttp's connections and threads, so the JVM can exit at once. */
  @Override
  public void close() {
    closed = true;
    base.dispatcher().executorService().shutdown();
    base.connectionPool().evictAll();
  }
}
