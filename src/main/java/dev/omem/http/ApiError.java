package dev.omem.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.VersionConflict;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** ourmem's error envelope, {@code {"error": {"code", "message"}}}, and the HTTP status. */
record ApiError(int status, String code, String message, Long currentVersion) {

  ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  /**
   * The envelope of {@code e}; a version conflict adds {@code current_version} (omem's extension,
   * so that a client can re-read or retry without another request to learn it).
   */
  static ApiError of(OmemException e) {
    if (e instanceof IfMatch.PreconditionFailed p) {
      return new ApiError(412, "precondition_failed", e.getMessage(), p.current());
    }
    ErrorCode c = e.code();
    Long current = e instanceof VersionConflict v ? v.current() : null;
    return new ApiError(c.httpStatus(), c.wire(), e.getMessage(), current);
  }

  static ApiError payloadTooLarge(int limit) {
    return new ApiError(
        413, "payload_too_large", "request body is larger than the limit of " + limit + " bytes");
  }

  static ApiError notFound(String method, String path) {
    return new ApiError(404, "not_found", "no route " + method + " " + path);
  }

  Map<String, Object> body() {
    return Map.of("error", details());
  }

  /** The envelope's inner object: {@code code}, {@code message}, {@code current_version?}. */
  Map<String, Object> details() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    if (currentVersion != null) {
      error.put("current_version", currentVersion);
    }
    return error;
  }

  void write(HttpServletResponse resp, ObjectMapper json) throws IOException {
    write(resp, json, Dialect.OURMEM);
  }

  /** Writes the error in the envelope of the dialect the request spoke. */
  void write(HttpServletResponse resp, ObjectMapper json, Dialect dialect) throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.resetBuffer();
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    json.writeValue(resp.getOutputStream(), dialect.envelope(this));
  }
}
