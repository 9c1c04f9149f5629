package dev.omem.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.VersionConflict;
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
import java.util.List;
import java.util.Locale;

/**
 * What a failed remote call means: the error envelope and the status as an {@link OmemException},
 * the errors of an absent server ("omem server at URL is unreachable: reason"), {@code
 * Retry-After}.
 */
final class RemoteErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RemoteErrors() {}

  static OmemException error(
      RemoteConfig cfg, RemoteRequest r, int status, String retryAfter, byte[] body) {
    String code = null;
    String message = null;
    Long currentVersion = null;
    try {
      JsonNode j = JSON.readTree(body);
      JsonNode e = j == null ? null : j.get("error");
      if (e != null && e.isObject()) {
        code = e.hasNonNull("code") ? e.get("code").asText() : null;
        message = e.hasNonNull("message") ? e.get("message").asText() : null;
        currentVersion =
            e.path("current_version").canConvertToLong() ? e.get("current_version").asLong() : null;
      } else if (e != null && e.isTextual()) {
        message = e.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: described below
    }
    ErrorCode kind = code == null ? null : fromWire(code);
    if (kind == null) {
      kind = fromStatus(status);
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
      String s = snippet(body);
      message =
          "omem server at "
              + cfg.url()
              + " answered "
              + status
              + " to "
              + r.describe()
              + (s.isEmpty() ? "" : ": " + s);
    } else if (status >= 500) {
      message = "omem server at " + cfg.url() + ": " + message;
    }
    if (kind == ErrorCode.RATE_LIMITED && retryAfter != null) {
      message += " (the server asks to retry after " + retryAfter.trim() + " s)";
    }
    if (kind == ErrorCode.CONFLICT && currentVersion != null) {
      // The memory and the version expected are the caller's to fill in (MemoryClient.update).
      return new VersionConflict(null, 0, currentVersion, message);
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
      case "conflict", "precondition_failed" -> ErrorCode.CONFLICT;
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
      case 409, 412 -> ErrorCode.CONFLICT;
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

  static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
    s = s.replaceAll("\\s+", " ");
    return body.length > 300 ? s + "…" : s;
  }

  /** Whether {@code e} happened before any byte of the request reached a server. */
  static boolean neverReachedServer(IOException e) {
    return e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException
        || (e instanceof SocketTimeoutException
            && e.getMessage() != null
            && e.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out"));
  }

  static OmemException unreachable(RemoteConfig cfg, RemoteRequest r, IOException e) {
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
      return "no connection within " + RemoteHttp.CONNECT_TIMEOUT.toMillis() + " ms";
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
}
