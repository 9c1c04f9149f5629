package dev.omem.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire dialect a request speaks, by its path: ourmem's (everything but the two below), the Open
 * Memory Protocol's under {@code /omp/v1/} and mem9's under {@code /v1alpha2/mem9s/}. Each names
 * its key its own way and wraps its errors in its own envelope; the routes behind all three call
 * the same service, so a tenant reaches the same memories in each.
 */
enum Dialect {
  OURMEM,
  /**
   * OMP names the key in {@code Authorization: Bearer <key>}. Its specification (omp.md) defines no
   * error envelope; omem answers {@code {"error": {"code", "message"}}} with OMP-style codes
   * ({@code invalid_request} where ourmem says {@code validation_error}).
   */
  OMP,
  /** mem9: {@code X-API-Key}, and errors as {@code {"error": "<message>"}} (its openapi.json). */
  MEM9;

  static final String OMP_PREFIX = "/omp/v1/";
  static final String MEM9_PREFIX = "/v1alpha2/mem9s/";

  static Dialect of(String path) {
    if (path == null) {
      return OURMEM;
    }
    if (path.startsWith(OMP_PREFIX)) {
      return OMP;
    }
    if (path.startsWith(MEM9_PREFIX)) {
      return MEM9;
    }
    return OURMEM;
  }

  static Dialect of(HttpServletRequest req) {
    return of(req.getRequestURI());
  }

  /** The API key the request carries, or null: {@code X-API-Key}, or OMP's bearer token. */
  String key(HttpServletRequest req) {
    if (this == OMP) {
      String auth = req.getHeader("Authorization");
      if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return null;
      }
      String token = auth.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    String key = req.getHeader("X-API-Key");
    return key == null || key.isBlank() ? null : key.trim();
  }

  /** What a request without a key is told, in this dialect's words. */
  String missingKey() {
    return this == OMP
        ? "missing Authorization: Bearer <api key> header"
        : "missing X-API-Key header";
  }

  /** The error's body in this dialect's envelope. */
  Object envelope(ApiError e) {
    return switch (this) {
      case OURMEM -> e.body();
      case MEM9 -> Map.of("error", e.message());
      case OMP -> {
        Map<String, Object> error = new LinkedHashMap<>(e.details());
        error.put("code", e.code().equals("validation_error") ? "invalid_request" : e.code());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", error);
        yield out;
      }
    };
  }
}
