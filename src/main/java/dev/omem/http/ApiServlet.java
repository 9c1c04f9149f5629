package dev.omem.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.IdempotentWrites;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST face: reads the request in full, runs its route under the per-request time limit, and
 * writes the JSON answer or ourmem's error envelope.
 */
final class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

  private final transient Router router;
  private final transient ObjectMapper json;
  private final transient ServeSettings settings;
  private final transient ExecutorService workers;
  private final transient IdempotentWrites idempotent;
  private final transient UploadSlots uploads = new UploadSlots();

  /** The header that makes a write apply once ({@link IdempotentWrites}); the IETF draft's name. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  ApiServlet(
      Router router,
      ObjectMapper json,
      ServeSettings settings,
      ExecutorService workers,
      IdempotentWrites idempotent) {
    this.router = router;
    this.json = json;
    this.settings = settings;
    this.workers = workers;
    this.idempotent = idempotent;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String method = req.getMethod();
    String path = req.getRequestURI();
    Dialect dialect = Dialect.of(path);
    Router.Match match = router.find(method, path);
    if (match == null) {
      List<String> allowed = router.methods(path);
      if (allowed.isEmpty()) {
        ApiError.notFound(method, path).write(resp, json, dialect);
      } else {
        resp.setHeader("Allow", String.join(", ", allowed));
        new ApiError(405, "method_not_allowed", method + " is not allowed on " + path)
            .write(resp, json, dialect);
      }
      return;
    }
    Reply reply;
    String key = req.getHeader(IDEMPOTENCY_KEY);
    try {
      ApiRequest request = read(req, match);
      if (key != null && !key.isBlank() && idempotent != null && !method.equals("GET")) {
        IdempotentWrites.Reply once =
            idempotent.once(
                request.caller(),
                key.trim(),
                method + " " + path,
                () -> {
                  Reply r = run(match.route(), request);
                  return new IdempotentWrites.Reply(r.status(), bytes(r.body()));
                });
        resp.setStatus(once.status());
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(once.body());
        return;
      }
      reply = run(match.route(), request);
    } catch (OmemException e) {
      ApiError.of(e).write(resp, json, dialect);
      return;
    } catch (TooLarge e) {
      OversizeBody.answer(req, resp, json, BodyLimit.of(req, settings));
      return;
    }
    resp.setStatus(reply.status());
    reply.headers().forEach(resp::setHeader);
    if (reply.status() == 204) {
      return; // no content (mem9's DELETE)
    }
    if (reply.body() instanceof StreamBody stream) {
      stream(resp, stream, dialect);
      return;
    }
    if (reply.body() instanceof TextBody text) {
      resp.setContentType(text.contentType());
      resp.setCharacterEncoding("UTF-8");
      resp.getOutputStream().write(text.text().getBytes(StandardCharsets.UTF_8));
      return;
    }
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    if (reply.body() instanceof JsonText text) {
      resp.getOutputStream().write(text.utf8());
      return;
    }
    json.writeValue(resp.getOutputStream(), reply.body());
  }

  /**
   * Writes a streamed body (chunked: its length is not known). A failure before the first bytes
   * left (a bad scope) is answered with the error envelope; after, the connection is cut, so the
   * client sees a broken transfer and never a file that looks whole.
   */
  private void stream(HttpServletResponse resp, StreamBody body, Dialect dialect)
      throws IOException {
    resp.setContentType(body.contentType());
    resp.setCharacterEncoding("UTF-8");
    // Not resp.getWriter(): Jetty's PrintWriter swallows a client's hang-up, and the export would
    // go on reading the whole store into a closed connection; this writer's failure stops it.
    Writer out = new OutputStreamWriter(resp.getOutputStream(), StandardCharsets.UTF_8);
    try {
      body.write().accept(out);
      out.flush();
    } catch (OmemException e) {
      if (resp.isCommitted()) {
        throw e;
      }
      resp.reset();
      ApiError.of(e).write(resp, json, dialect);
    }
  }

  /** A JSON answer's bytes, as a keyed write keeps them. */
  private byte[] bytes(Object body) {
    if (body instanceof TextBody) {
      throw new IllegalStateException("a text answer to a write");
    }
    if (body instanceof JsonText text) {
      return text.utf8();
    }
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }

  private ApiRequest read(HttpServletRequest req, Router.Match match) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String name :
        new String[] {
          "X-Confirm",
          "X-Admin-Token",
          "If-Match",
          HookResponder.URL_HEADER,
          HookResponder.KEY_HEADER
        }) {
      headers.put(name, req.getHeader(name));
    }
    // The body is read before anything asks for parameters: the servlet API would otherwise
    // consume a form-encoded body as parameters (curl -d sends that content type). An import's raw
    // upload is left to its route, which copies it to disk as it arrives.
    boolean raw = BodyLimit.rawUpload(req);
    JsonNode body = raw ? MissingNode.getInstance() : body(req);
    return new ApiRequest(
        (Caller) req.getAttribute(Caller.REQUEST_ATTRIBUTE),
        match.params(),
        QueryString.parse(req.getQueryString()),
        headers::get,
        body,
        raw ? req.getInputStream() : null);
  }

  private JsonNode body(HttpServletRequest req) throws IOException {
    byte[] bytes = readLimited(req.getInputStream(), BodyLimit.of(req, settings));
    if (bytes.length == 0) {
      return MissingNode.getInstance();
    }
    if (MultipartBody.is(req.getContentType())) {
      return MultipartBody.parse(bytes, req.getContentType(), json);
    }
    try {
      return json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw OmemException.invalid("the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      // Bytes that decode to no text at all (CharConversionException): still the client's fault.
      throw OmemException.invalid("the request body is not JSON text: " + e.getMessage());
    }
  }

  /**
   * How long an import's raw upload may take to arrive and be checked whole before it is answered:
   * a 35 MB omem file took over 30 s (the request limit) on a fresh daemon at load 30-50 (2 cores,
   * ImportStreamingIT, BENCHMARKS.md session 14); the file is never held, so only time is at stake.
   */
  static final Duration UPLOAD_LIMIT = Duration.ofMinutes(10);

  /** Runs a route on a worker so that it can be answered {@code timeout} when it runs long. */
  private Reply run(Route route, ApiRequest request) {
    Duration limit = request.upload() != null ? UPLOAD_LIMIT : settings.requestTimeout();
    Runnable done = request.upload() != null ? uploads.take(request.caller()) : () -> {};
    Future<Reply> f;
    try {
      f =
          workers.submit(
              () -> {
                try {
                  return route.handle(request);
                } finally {
                  done.run();
                }
              });
    } catch (RejectedExecutionException e) {
      done.run();
      throw new OmemException(ErrorCode.UNAVAILABLE, "the server is shutting down; try again");
    }
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The work goes on (a write is one SQLite transaction, whole or not at all); the caller is
      // told not to wait for it.
      throw new OmemException(
          ErrorCode.UNAVAILABLE, "the request took longer than " + limit(limit));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OmemException(ErrorCode.UNAVAILABLE, "the server is stopping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OmemException oe) {
        throw oe;
      }
      LOG.error("request failed", e.getCause());
      throw new OmemException(
          ErrorCode.INTERNAL,
          "the server failed: " + e.getCause() + " (details in the server's log)");
    }
  }

  /** "30 s", or "250 ms" for a limit that is no whole number of seconds. */
  private static String limit(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static byte[] readLimited(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > limit) {
        throw new TooLarge();
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** A body past the size limit (one without a Content-Length, caught while reading). */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }
}
