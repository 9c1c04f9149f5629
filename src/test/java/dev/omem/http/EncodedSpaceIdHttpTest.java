package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that percent-encodes the space id ({@code team%2F<uuid>}, as ourmem's MCP client does)
 * reaches the same space as one that sends its slash bare, on every space route; an encoding Jetty
 * still refuses is answered in the error envelope, never a container page (issue 17).
 */
class EncodedSpaceIdHttpTest extends OneServerPerClass {
  private static String encoded(String space) {
    return space.replace("/", "%2F");
  }

  private static List<String> members(JsonNode space) {
    List<String> ids = new ArrayList<>();
    space.path("members").forEach(m -> ids.add(m.path("user_id").asText()));
    return ids;
  }

  @Test
  void everySpaceRouteTakesAnEncodedId() {
    HttpFixture.Tenant alice = http.newTenant("alice");
    HttpFixture.Tenant bob = http.newTenant("bob");
    String space = SpaceSupport.team(http, alice, "platform");
    String enc = encoded(space);
    assertTrue(enc.startsWith("team%2F"), enc);

    JsonNode got = http.get("/v1/spaces/" + enc, alice.key()).expect(200);
    assertEquals(space, got.path("id").asText());
    http.get("/v1/spaces/" + enc.replace("%2F", "%2f"), alice.key()).expect(200);

    http.post(
            "/v1/spaces/" + enc + "/members",
            alice.key(),
            "{\"user_id\": \"" + bob.id() + "\", \"role\": \"reader\"}")
        .expect(201);
    assertEquals(1, http.get("/v1/spaces/" + enc + "/invitations", alice.key()).expect(200).size());
    SpaceSupport.accept(http, bob, space);
    http.put("/v1/spaces/" + enc + "/members/" + bob.id(), alice.key(), "{\"role\": \"member\"}")
        .expect(200);
    assertTrue(
        members(http.get("/v1/spaces/" + space, alice.key()).expect(200)).contains(bob.id()));
    http.post(
            "/v1/spaces/" + enc + "/auto-share-rules",
            alice.key(),
            "{\"name\": \"ops\", \"tags\": [\"ops\"]}")
        .expect(201);
    assertEquals(
        1, http.get("/v1/spaces/" + enc + "/auto-share-rules", alice.key()).expect(200).size());
    String rule =
        http.get("/v1/spaces/" + enc + "/auto-share-rules", alice.key())
            .expect(200)
            .get(0)
            .path("id")
            .asText();
    http.delete("/v1/spaces/" + enc + "/auto-share-rules/" + rule, alice.key()).expect(200);
    assertEquals(
        0, http.get("/v1/spaces/" + enc + "/auto-share-rules", alice.key()).expect(200).size());
    HttpFixture.Tenant carol = http.newTenant("carol");
    http.post(
            "/v1/spaces/" + enc + "/members",
            alice.key(),
            "{\"user_id\": \"" + carol.id() + "\", \"role\": \"reader\"}")
        .expect(201);
    String invitation =
        http.get("/v1/spaces/" + enc + "/invitations", alice.key())
            .expect(200)
            .get(0)
            .path("id")
            .asText();
    http.delete("/v1/spaces/" + enc + "/invitations/" + invitation, alice.key()).expect(200);
    assertEquals(0, http.get("/v1/spaces/" + enc + "/invitations", alice.key()).expect(200).size());
    http.put("/v1/spaces/" + enc, alice.key(), "{\"name\": \"platform-team\"}").expect(200);
    assertEquals(
        "platform-team",
        http.get("/v1/spaces/" + space, alice.key()).expect(200).path("name").asText());
    http.delete("/v1/spaces/" + enc + "/members/" + bob.id(), alice.key()).expect(200);
    assertTrue(!members(http.get("/v1/spaces/" + enc, alice.key()).expect(200)).contains(bob.id()));
    http.delete("/v1/spaces/" + enc, alice.key()).expect(200);
    http.get("/v1/spaces/" + space, alice.key()).expectError(404, "not_found");
  }

  @Test
  void anEncodedIdOfNoSpaceIsA404Envelope() {
    HttpFixture.Tenant t = http.newTenant("nobody");
    http.get("/v1/spaces/team%2F00000000-0000-4000-8000-000000000000", t.key())
        .expectError(404, "not_found");
    http.post(
            "/v1/spaces/team%2F00000000-0000-4000-8000-000000000000/members",
            t.key(), "{\"user_id\": \"x\", \"role\": \"member\"}")
        .expectError(404, "not_found");
  }

  /**
   * Encodings that stay refused (a dot segment, an encoded percent) are JSON errors all the same.
   */
  @Test
  void refusedEncodingsAnswerTheEnvelope() {
    HttpFixture.Tenant t = http.newTenant("odd");
    for (String path :
        List.of(
            "/v1/spaces/%2E%2E/members",
            "/v1/memories/%2e%2e%2Fall",
            "/v1/spaces/team%252F1",
            "/ui%2F..%2Fv1/memories",
            "/v1/spaces%2F..%2F..%2Fmcp",
            "/v1/memories/x%2F..%2F..%2Fmcp")) {
      Res r = http.get(path, t.key());
      assertTrue(r.status() >= 400 && r.status() < 500, path + ": " + r.status());
      r.expectError(r.status(), r.json().path("error").path("code").asText());
    }
  }
}
