package dev.omem.http;

import java.util.Map;

/**
 * What a route answers: an HTTP status, a body that Jackson writes as JSON (none for 204), and
 * response headers (such as mem9's {@code ETag}).
 */
record Reply(int status, Object body, Map<String, String> headers) {
  Reply(int status, Object body) {
    this(status, body, Map.of());
  }

  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }

  static Reply noContent() {
    return new Reply(204, null);
  }
}
