package dev.omem.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals in ourmem's error envelope instead of its HTML pages: a bad HTTP message
 * (400), a URI or headers over the limits (414, 431), an ambiguous or badly encoded path (400), and
 * any error a request ends with before a route answers. Set on the server (refusals of the HTTP
 * parser) and on the servlet context (refusals of the servlet layer).
 */
final class EnvelopeErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
  private static final HttpField JSON_TYPE =
      new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");

  private final ObjectMapper json;

  EnvelopeErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  /** The envelope of a status Jetty refused with; the wording says what to change. */
  static ApiError of(int status, String reason) {
    return switch (status) {
      case 400 ->
          new ApiError(
              400,
              "bad_request",
              "the request is not valid HTTP or its path is malformed"
                  + (reason == null || reason.isBlank() ? "" : " (" + reason + ")"));
      case 404 -> new ApiError(404, "not_found", "no such route");
      case 405 -> new ApiError(405, "method_not_allowed", "method not allowed here");
      case 413 -> new ApiError(413, "payload_too_large", "the request body is too large");
      case 414 ->
          new ApiError(
              414,
              "uri_too_long",
              "the URI is too long; send long values (such as a search query) in a request body");
      case 431 -> new ApiError(431, "headers_too_large", "the request headers are too large");
      case 505 ->
          new ApiError(
              505,
              "http_version_not_supported",
              "this HTTP version is not supported; use HTTP/1.1");
      case 503 -> new ApiError(503, "unavailable", "the server is busy or stopping; retry shortly");
      default ->
          status >= 500
              ? new ApiError(status, "internal_error", "internal error")
              : new ApiError(status, "bad_request", reason == null ? "bad request" : reason);
    };
  }

  private byte[] bytes(int status, String reason, Dialect dialect) {
    try {
      return json.writeValueAsBytes(dialect.envelope(of(status, reason)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every refusal, whatever its method and Accept header, gets the envelope (Jetty's own handler
   * answers a bad HTTP message with no body at all, and others with HTML).
   */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    Object message = request.getAttribute(ERROR_MESSAGE);
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException h) {
      status = h.getCode();
      response.setStatus(status);
      message = h.getReason();
    }
    response.getHeaders().put(JSON_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    String reason = message == null ? null : message.toString();
    Dialect dialect =
        Dialect.of(request.getHttpURI() == null ? null : request.getHttpURI().getPath());
    response.write(true, ByteBuffer.wrap(bytes(status, reason, dialect)), callback);
    return true;
  }
}
