package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests, table-driven: each gets its status and ourmem's error envelope with the right code
 * and a message, and changes nothing (every memory of the tenant, in every state, compared whole).
 */
class BadRequestHttpTest {
  @TempDir static Path home;
  static HttpFixture http;
  static HttpFixture.Tenant a;
  static String live;
  static String forgotten;

  @BeforeAll
  static void start() throws Exception {
    http = HttpFixture.start(home);
    a = http.newTenant("a");
    live =
        http.create(a.key(), "The build runs on GitHub Actions", "tags", List.of("ci"))
            .path("id")
            .asText();
    http.put("/v1/memories/" + live, a.key(), "{\"importance\": 0.8}").expect(200);
    http.create(a.key(), "I prefer small pull requests", "category", "preferences");
    forgotten = http.create(a.key(), "The old CI was Travis").path("id").asText();
    http.delete("/v1/memories/" + forgotten, a.key()).expect(200);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.omem.http.BadRequestCases#all")
  void answersTheEnvelopeAndChangesNothing(BadRequestCases.Case c) {
    Map<String, JsonNode> before = http.snapshot(a.key());
    String body = c.body() == null ? null : fill(c.body());
    Res r =
        http.send(
            c.method(), fill(c.path()), key(c.key()), body, c.headers().toArray(new String[0]));
    r.expectError(c.status(), c.code());
    assertEquals(before, http.snapshot(a.key()), "nothing changed");
  }

  /** A known path with another method: 405, and the {@code Allow} header names the right ones. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PATCH  | /v1/memories/{live}        | GET, PUT, DELETE",
        "POST   | /v1/memories/{live}        | GET, PUT, DELETE",
        "DELETE | /v1/memories               | POST, GET",
        "PUT    | /v1/memories/batch-delete  | POST",
        "GET    | /v1/memories/all           | DELETE",
        "POST   | /v1/memories/search        | GET",
        "GET    | /v1/tenants                | POST",
        "PUT    | /v1/profile                | GET"
      })
  void wrongMethodNamesTheAllowedOnes(String method, String path, String allowed) {
    Map<String, JsonNode> before = http.snapshot(a.key());
    Res r = http.send(method, fill(path), a.key(), "{\"content\": \"x\"}");
    r.expectError(405, "method_not_allowed");
    assertEquals(allowed, r.header("Allow").orElse(null));
    assertEquals(before, http.snapshot(a.key()));
  }

  /** The case's placeholders: {@code {live}} and {@code {forgotten}}, ids of A's memories. */
  private static String fill(String s) {
    return s.replace("{live}", live).replace("{forgotten}", forgotten);
  }

  static String key(BadRequestCases.Key k) {
    return switch (k) {
      case NONE -> null;
      case A -> a.key();
      case WRONG -> "omem_" + "x".repeat(43);
      case BLANK -> "   ";
      case TENANT_ID -> a.id();
    };
  }
}
