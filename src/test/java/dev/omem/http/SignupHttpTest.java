package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.omem.service.LocalMemoryService;
import dev.omem.service.Tenants;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may create a tenant: anyone on a loopback-bound server; beyond loopback only with the admin
 * token, unless sign-up is open. The servers bind 0.0.0.0 and are reached on 127.0.0.1.
 */
class SignupHttpTest {
  private static final String ADMIN = Tenants.newKey();

  @TempDir static Path home;
  static LocalMemoryService service;

  @BeforeAll
  static void start() {
    service = HttpFixture.openService(home);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static ServeSettings wide(boolean openSignup, String adminToken) {
    ServeSettings d = HttpFixture.settings();
    ServeSettings s =
        ServeSettings.builder("0.0.0.0", 0)
            .openSignup(openSignup)
            .adminToken(adminToken)
            .requestsPerSecond(d.requestsPerSecond())
            .build();
    assertFalse(s.loopbackOnly());
    return s;
  }

  @Test
  void beyondLoopbackSignUpNeedsTheAdminToken() throws Exception {
    try (HttpFixture http = HttpFixture.serve(service, wide(false, ADMIN))) {
      http.post("/v1/tenants", null, "{\"name\": \"eve\"}").expectError(401, "unauthorized");
      http.send("POST", "/v1/tenants", null, "{}", "X-Admin-Token", ADMIN + "x")
          .expectError(401, "unauthorized");
      http.send("POST", "/v1/tenants", null, "{}", "X-Admin-Token", "")
          .expectError(401, "unauthorized");
      // A tenant's key is no admin token.
      String key =
          http.send("POST", "/v1/tenants", null, "{}", "X-Admin-Token", ADMIN)
              .expect(201)
              .path("api_key")
              .asText();
      http.send("POST", "/v1/tenants", key, "{}", "X-Admin-Token", key)
          .expectError(401, "unauthorized");
      http.get("/v1/stats", key).expect(200);
    }
  }

  @Test
  void withoutAnAdminTokenNobodySignsUpBeyondLoopback() throws Exception {
    try (HttpFixture http = HttpFixture.serve(service, wide(false, null))) {
      http.post("/v1/tenants", null, null).expectError(401, "unauthorized");
      http.send("POST", "/v1/tenants", null, "{}", "X-Admin-Token", "null")
          .expectError(401, "unauthorized");
    }
  }

  @Test
  void openSignUpNeedsNothing() throws Exception {
    try (HttpFixture http = HttpFixture.serve(service, wide(true, ADMIN))) {
      http.newTenant("open");
    }
  }

  @Test
  void onLoopbackSignUpIsOpen() throws Exception {
    try (HttpFixture http = HttpFixture.serve(service, HttpFixture.settings())) {
      http.newTenant("local");
    }
  }
}
