package dev.omem.remote;

import dev.omem.service.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request of the dialect, as the area clients describe it. Null parameters are left out. */
final class RemoteRequest {
  /** The status of the successful answer (201 or 200 tells a new share from a repeat). */
  int answeredStatus;

  /** The server the last attempt went to (the endpoint may move it): named in failures. */
  volatile RemoteConfig server;

  final String method;
  final List<String> path;
  final Map<String, String> query = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();
  Object body;
  dev.omem.service.ImportRequest.Upload upload;
  Caller caller;
  boolean authenticated = true;

  private RemoteRequest(String method, String... path) {
    this.method = method;
    this.path = List.of(path);
  }

  static RemoteRequest get(String... path) {
    return new RemoteRequest("GET", path);
  }

  static RemoteRequest post(String... path) {
    return new RemoteRequest("POST", path);
  }

  static RemoteRequest put(String... path) {
    return new RemoteRequest("PUT", path);
  }

  static RemoteRequest delete(String... path) {
    return new RemoteRequest("DELETE", path);
  }

  RemoteRequest query(String name, Object value) {
    if (value != null) {
      query.put(name, String.valueOf(value));
    }
    return this;
  }

  /** Every parameter of a wire record's query ({@code SearchParams.write}...). */
  RemoteRequest query(Map<String, String> params) {
    query.putAll(params);
    return this;
  }

  RemoteRequest header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The JSON body: a wire record or a map, written with the wire's Jackson setup. */
  RemoteRequest body(Object value) {
    this.body = value;
    return this;
  }

  /** The body as raw bytes read as they are sent, from the start on each attempt (a file). */
  RemoteRequest upload(dev.omem.service.ImportRequest.Upload in) {
    this.upload = in;
    return this;
  }

  RemoteRequest caller(Caller c) {
    this.caller = c;
    return this;
  }

  /** Without {@code X-API-Key}: {@code GET /health} is public. */
  RemoteRequest anonymous() {
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
