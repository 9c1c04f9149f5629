package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Spaces and invitations over HTTP, for the tests of consent and isolation. */
final class SpaceSupport {
  private SpaceSupport() {}

  /** A team space of {@code owner}'s naming these tenants as members (invited, not accepted). */
  static String team(HttpFixture http, HttpFixture.Tenant owner, String name, String... members) {
    List<Map<String, String>> m = new ArrayList<>();
    for (String id : members) {
      m.add(Map.of("user_id", id, "role", "member"));
    }
    return http.post(
            "/v1/spaces",
            owner.key(),
            HttpFixture.json(Map.of("name", name, "space_type", "team", "members", m)))
        .expect(201)
        .path("id")
        .asText();
  }

  /** {@code who} accepts its invitation into {@code space}. */
  static void accept(HttpFixture http, HttpFixture.Tenant who, String space) {
    for (JsonNode i : http.get("/v1/invitations", who.key()).expect(200)) {
      if (i.path("space_id").asText().equals(space)) {
        http.post("/v1/invitations/" + i.path("id").asText() + "/accept", who.key(), "{}")
            .expect(200);
        return;
      }
    }
    throw new AssertionError("no invitation into " + space);
  }
}
