package dev.omem.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.wire.WireJson;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
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
 * The HTTP half of the area clients ({@link MemoryClient}, {@link SpaceClient}, {@link
 * ImportClient}, {@link RemoteKeyService}): sends one request of the REST dialect
 * (docs/rest-api.md) and turns the answer into JSON or an {@link OmemException}.
 *
 * <p>Failure policy (what a caller can count on):
 *
 * <ul>
 *   <li>Connecting gives up after {@link #CONNECT_TIMEOUT}; each attempt after the config's timeout
 *       without a byte read or written.
 *   <li>Idempotent calls (GET, PUT, DELETE) are tried at most {@code 1 +
 *       RetryInterceptor.BACKOFF_MS.length} times, after {@code RetryInterceptor.BACKOFF_MS}
 *       pauses, and only when the connection failed or broke, or the answer was 502, 503 or 504, or
 *       a 429 whose {@code Retry-After} is at most {@link RetryInterceptor#MAX_RETRY_AFTER}. A 4xx
 *       is never retried otherwise.
 *   <li>A POST (store, ingest, batch delete) is sent once: its body is one-shot, so okhttp does not
 *       resend it either. The only exception: a connection refused before anything was sent, when
 *       the {@link Endpoint} offers a new address ({@link Endpoint#reconnect}).
 *   <li>To the local daemon ({@link Endpoint#resendsInFlight}), every write carries an {@code
 *       Idempotency-Key}, and a call whose connection broke in flight is sent again with it, up to
 *       {@link RetryInterceptor#MAX_RESENDS} times, to the daemon the endpoint finds or starts
 *       anew.
 *   <li>No server: {@code UNAVAILABLE}, "omem server at URL is unreachable: reason".
 * </ul>
 *
 * <p>Retries are {@link RetryInterceptor}'s, inside the one okhttp client every area shares.
 */
final class RemoteHttp implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** The header that makes a write apply once on the daemon (http.ApiServlet, IdempotentWrites). */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Answers larger than this are refused (200 memories of 32 KiB are ~7 MiB of JSON). */
  static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final String USER_AGENT =
      "omem/"
          + Optional.ofNullable(RemoteHttp.class.getPackage().getImplementationVersion())
              .orElse("dev");

  private final Endpoint endpoint;
  private final OkHttpClient client;
  private volatile boolean closed;

  RemoteHttp(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            // okhttp retries a request on another route (e.g. 127.0.0.1 after ::1) when
            // connecting failed; after a request was sent it retries only bodies that are not
            // one-shot, and ours for POST are (see OneShotJson).
            .retryOnConnectionFailure(true)
            .followRedirects(false)
            .addInterceptor(new RetryInterceptor(endpoint, this::request))
            .build();
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** Sends {@code r}, retrying as the class comment says; returns the answer's JSON. */
  JsonNode send(RemoteRequest r) {
    if (closed) {
      throw new OmemException(ErrorCode.UNAVAILABLE, "the remote memory service is closed");
    }
    if (endpoint.resendsInFlight() && !r.method.equals("GET")) {
      r.headers.putIfAbsent(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
    }
    r.server = endpoint.current();
    int status;
    String retryAfter;
    byte[] body;
    try (Response resp = client.newCall(request(r.server, r)).execute()) {
      status = resp.code();
      retryAfter = resp.header("Retry-After");
      body = read(resp.body());
    } catch (IOException e) {
      throw RemoteErrors.unreachable(r.server, r, e);
    }
    if (status >= 200 && status < 300) {
      r.answeredStatus = status;
      return parse(r.server, r, body);
    }
    throw RemoteErrors.error(r.server, r, status, retryAfter, body);
  }

  /**
   * Sends {@code r} and copies its 2xx answer, decoded as UTF-8, to {@code out} as it arrives (an
   * export): never held whole and without {@link #MAX_ANSWER_BYTES}; only okhttp's per-read timeout
   * applies, so a long answer that keeps coming is not cut. An error answer fails as {@link
   * #send}'s does; a transfer broken half-way fails too, after part of the file was written.
   */
  void stream(RemoteRequest r, Writer out) {
    if (closed) {
      throw new OmemException(ErrorCode.UNAVAILABLE, "the remote memory service is closed");
    }
    r.server = endpoint.current();
    try (Response resp = client.newCall(request(r.server, r)).execute()) {
      int status = resp.code();
      if (status < 200 || status >= 300) {
        throw RemoteErrors.error(
            r.server, r, status, resp.header("Retry-After"), read(resp.body()));
      }
      r.answeredStatus = status;
      Reader in = resp.body().charStream();
      char[] buf = new char[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        write(out, buf, n);
      }
      write(out, buf, 0);
    } catch (IOException e) {
      throw RemoteErrors.unreachable(r.server, r, e);
    }
  }

  /**
   * Writes (and with {@code n == 0} flushes) the caller's side: its failure is not the server's.
   */
  private static void write(Writer out, char[] buf, int n) {
    try {
      if (n == 0) {
        out.flush();
      } else {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the answer", e);
    }
  }

  /** An answer without the dialect's shape is the server's fault: say whose. */
  <T> T read(Supplier<T> reader) {
    try {
      return reader.get();
    } catch (RuntimeException e) {
      throw new OmemException(
          ErrorCode.INTERNAL,
          "the omem server at "
              + endpoint.current().url()
              + " sent an answer omem cannot read: "
              + (e instanceof OmemException ? e.getMessage() : e.toString()),
          e);
    }
  }

  private Request request(RemoteConfig cfg, RemoteRequest r) {
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
    byte[] body = r.body == null ? null : WireJson.bytes(r.body);
    RequestBody rb =
        r.upload != null
            ? new OneShotUpload(r.upload)
            : body == null
                ? null
                : r.idempotent() ? RequestBody.create(body, JSON_TYPE) : new OneShotJson(body);
    return new Request.Builder()
        .url(url.build())
        .headers(h.build())
        .method(r.method, rb)
        .tag(RemoteRequest.class, r)
        .build();
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

  /**
   * A file streamed as the body, chunked (its length is not asked for). One-shot for okhttp; a
   * resend by {@link RetryInterceptor} builds a new body, which opens the file again from its
   * start.
   */
  private static final class OneShotUpload extends RequestBody {
    private static final MediaType RAW = MediaType.get("application/octet-stream");
    private final dev.omem.service.ImportRequest.Upload file;

    OneShotUpload(dev.omem.service.ImportRequest.Upload file) {
      this.file = file;
    }

    @Override
    public MediaType contentType() {
      return RAW;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      try (java.io.InputStream in = file.open()) {
        sink.writeAll(okio.Okio.source(in));
      }
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

  private static JsonNode parse(RemoteConfig cfg, RemoteRequest r, byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new OmemException(
          ErrorCode.INTERNAL,
          "omem server at "
              + cfg.url()
              + " answered "
              + r.describe()
              + " with something that is not JSON (is it an omem or ourmem server?): "
              + RemoteErrors.snippet(body));
    }
  }

  /** Releases okhttp's connections and threads, so the JVM can exit at once. */
  @Override
  public void close() {
    closed = true;
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
