package dev.omem.http;

/** What a route answers: an HTTP status and a body that Jackson writes as JSON. */
record Reply(int status, Object body) {
  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }
}
