package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** An answer of the server: status, headers and body, with the checks the tests share. */
record Res(int status, HttpResponse<String> response, String body) {

  JsonNode json() {
    try {
      return HttpFixture.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON (status " + status + "): " + body, e);
    }
  }

  Optional<String> header(String name) {
    return response.headers().firstValue(name);
  }

  /** Asserts a 2xx-or-other status with JSON content; returns the body. */
  JsonNode expect(int expected) {
    assertEquals(expected, status, () -> "status; body: " + body);
    assertTrue(
        header("Content-Type").orElse("").startsWith("application/json"),
        () -> "Content-Type " + header("Content-Type"));
    return json();
  }

  /**
   * Asserts ourmem's error envelope: this status, {@code {"error": {"code", "message"}}} and
   * nothing else, the code given and a message a person can read.
   */
  void expectError(int expected, String code) {
    JsonNode j = expect(expected);
    assertEquals(List.of("error"), fieldNames(j), () -> "envelope: " + body);
    JsonNode e = j.get("error");
    assertEquals(List.of("code", "message"), fieldNames(e), () -> "envelope: " + body);
    assertEquals(code, e.get("code").asText(), () -> "code; body: " + body);
    if (!e.get("message").isTextual() || e.get("message").asText().isBlank()) {
      fail("empty message: " + body);
    }
    assertFalse(e.get("message").asText().contains("Exception"), () -> "internals leak: " + body);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
