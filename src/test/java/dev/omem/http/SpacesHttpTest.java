package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spaces, roles and sharing over real HTTP (docs/rest-api.md "Spaces and sharing"): who can read
 * and write what, provenance and staleness of shared copies, weighted search over spaces.
 */
class SpacesHttpTest {
  @TempDir Path home;
  HttpFixture http;
  HttpFixture.Tenant alice;
  HttpFixture.Tenant bob;
  HttpFixture.Tenant carol;

  @BeforeEach
  void start() throws Exception {
    http = HttpFixture.start(home);
    alice = http.newTenant("alice");
    bob = http.newTenant("bob");
    carol = http.newTenant("carol");
  }

  @AfterEach
  void stop() {
    http.close();
  }

  /**
   * A team space of alice's with these members ({@code user_id, role} pairs), each of whom accepted
   * the invitation.
   */
  String team(String name, String... members) {
    StringBuilder m = new StringBuilder("[");
    for (int i = 0; i < members.length; i += 2) {
      m.append(i == 0 ? "" : ",")
          .append(
              HttpFixture.json(java.util.Map.of("user_id", members[i], "role", members[i + 1])));
    }
    JsonNode s =
        http.post(
                "/v1/spaces",
                alice.key(),
                "{\"name\": \"" + name + "\", \"space_type\": \"team\", \"members\": " + m + "]}")
            .expect(201);
    assertTrue(s.path("id").asText().startsWith("team/"), s.toString());
    acceptAll(s.path("id").asText());
    return s.path("id").asText();
  }

  /** bob and carol accept their invitations into {@code space}. */
  void acceptAll(String space) {
    for (HttpFixture.Tenant t : List.of(bob, carol)) {
      for (JsonNode i : http.get("/v1/invitations", t.key()).expect(200)) {
        if (i.path("space_id").asText().equals(space)) {
          http.post("/v1/invitations/" + i.path("id").asText() + "/accept", t.key(), null)
              .expect(200);
        }
      }
    }
  }

  String share(HttpFixture.Tenant who, String memoryId, String space, int status) {
    return http.post(
            "/v1/memories/" + memoryId + "/share",
            who.key(),
            "{\"target_space\": \"" + space + "\", \"note\": \"for the team\"}")
        .expect(status)
        .path("id")
        .asText();
  }

  List<String> searchIds(HttpFixture.Tenant who, String q) {
    JsonNode r =
        http.get("/v1/memories/search?scope=all&q=" + q.replace(" ", "+"), who.key()).expect(200);
    List<String> ids = new ArrayList<>();
    r.path("results").forEach(x -> ids.add(x.path("memory").path("id").asText()));
    return ids;
  }

  @Test
  void aSharedCopyCarriesProvenanceGoesStaleAndLeavesOnUnshare() {
    String space = team("platform", bob.id(), "member");
    JsonNode original =
        http.create(
            alice.key(), "We deploy the payments service with Argo CD", "category", "cases");
    String id = original.path("id").asText();
    String copy = share(alice, id, space, 201);
    assertEquals(copy, share(alice, id, space, 200), "a second share answers the same copy");

    JsonNode c = http.get("/v1/memories/" + copy + "?check_stale=true", bob.key()).expect(200);
    JsonNode p = c.path("provenance");
    assertEquals("personal/" + alice.id(), p.path("shared_from_space").asText());
    assertEquals(id, p.path("shared_from_memory").asText());
    assertEquals(alice.id(), p.path("shared_by_user").asText());
    assertEquals(1, p.path("source_version").asLong());
    assertEquals(original.path("created_at").asText(), p.path("original_created_at").asText());
    assertEquals(space, c.path("space_id").asText());
    assertFalse(c.path("stale_info").path("is_stale").asBoolean(), c.toString());
    assertTrue(searchIds(bob, "deploy payments Argo").contains(copy), "bob finds the copy");

    http.put("/v1/memories/" + id, alice.key(), "{\"content\": \"We deploy payments with Flux\"}")
        .expect(200);
    JsonNode stale = http.get("/v1/memories/" + copy + "?check_stale=true", bob.key()).expect(200);
    assertTrue(stale.path("stale_info").path("is_stale").asBoolean(), stale.toString());
    assertEquals(2, stale.path("stale_info").path("current_source_version").asLong());
    JsonNode s =
        http.get("/v1/memories/search?scope=all&check_stale=true&q=deploy+payments", bob.key())
            .expect(200);
    assertTrue(
        s.path("results").get(0).path("stale_info").path("is_stale").asBoolean(), s.toString());

    http.post(
            "/v1/memories/" + id + "/unshare", alice.key(), "{\"target_space\": \"" + space + "\"}")
        .expect(200);
    assertFalse(searchIds(bob, "deploy payments").contains(copy), "the copy left bob's search");
    http.get("/v1/memories/" + id, alice.key()).expect(200); // the original stays
    http.post(
            "/v1/memories/" + id + "/unshare", alice.key(), "{\"target_space\": \"" + space + "\"}")
        .expectError(404, "not_found");
  }

  @Test
  void aCopyShowsNothingPrivateOfItsSource() {
    String space = team("platform", bob.id(), "member");
    String id =
        http.send(
                "POST",
                "/v1/memories",
                alice.key(),
                "{\"content\": \"The release checklist lives in docs/release.md\","
                    + " \"session_id\": \"alice-session\"}",
                "X-Agent-Id",
                "alice-agent")
            .expect(201)
            .path("id")
            .asText();
    http.get("/v1/memories/" + id, alice.key()).expect(200); // an access on the source
    String copy = share(alice, id, space, 201);
    JsonNode c = http.get("/v1/memories/" + copy, bob.key()).expect(200);
    assertEquals(0, c.path("access_count").asLong(), "the source's accesses stay its own: " + c);
    assertTrue(c.path("agent_id").isNull(), "the source's agent stays its own: " + c);
    assertTrue(c.path("session_id").isNull(), c.toString());
    assertTrue(c.path("relations").isEmpty() || c.path("relations").isNull(), c.toString());
    List<String> actions = new ArrayList<>();
    c.path("history").forEach(h -> actions.add(h.path("action").asText()));
    assertEquals(List.of("created"), actions, "the copy's own history only: " + c);
    // bob cannot reach the source itself, nor its history
    http.get("/v1/memories/" + id, bob.key()).expectError(404, "not_found");
    http.get("/v1/memories/" + id + "/history", bob.key()).expectError(404, "not_found");
  }

  @Test
  void rolesDecideWhoReadsWritesAndManages() {
    String space = team("docs", bob.id(), "reader");
    String id = http.create(alice.key(), "Docs are built with MkDocs Material").path("id").asText();
    String copy = share(alice, id, space, 201);

    // bob, a reader: reads, cannot write or manage
    http.get("/v1/memories/" + copy, bob.key()).expect(200);
    http.post(
            "/v1/memories", bob.key(), "{\"content\": \"x y z\", \"space_id\": \"" + space + "\"}")
        .expectError(403, "forbidden");
    http.put("/v1/memories/" + copy, bob.key(), "{\"content\": \"changed\"}")
        .expectError(403, "forbidden");
    http.delete("/v1/memories/" + copy, bob.key()).expectError(403, "forbidden");
    String own = http.create(bob.key(), "Bob likes short commit messages").path("id").asText();
    share(bob, own, space, 403);
    http.post(
            "/v1/spaces/" + space + "/members",
            bob.key(),
            "{\"user_id\": \"" + carol.id() + "\", \"role\": \"member\"}")
        .expectError(403, "forbidden");

    // made a member: writes, still cannot manage
    http.put("/v1/spaces/" + space + "/members/" + bob.id(), alice.key(), "{\"role\": \"member\"}")
        .expect(200);
    http.post(
            "/v1/memories",
            bob.key(),
            "{\"content\": \"Docs deploy on merge to main\", \"space_id\": \"" + space + "\"}")
        .expect(201);
    http.post(
            "/v1/spaces/" + space + "/members",
            bob.key(),
            "{\"user_id\": \"" + carol.id() + "\", \"role\": \"member\"}")
        .expectError(403, "forbidden");
    assertEquals(
        java.util.Set.of(alice.id(), bob.id()),
        java.util.Set.copyOf(memberIds(http.get("/v1/spaces/" + space, alice.key()).expect(200))),
        "no one was added by bob");

    // carol, not a member: sees neither the space nor anything in it, by any route
    http.get("/v1/spaces/" + space, carol.key()).expectError(404, "not_found");
    http.get("/v1/memories/" + copy, carol.key()).expectError(404, "not_found");
    http.get("/v1/memories/" + copy + "/history", carol.key()).expectError(404, "not_found");
    http.get("/v1/memories?space=" + space, carol.key()).expectError(404, "not_found");
    http.get("/v1/memories/search?q=MkDocs&space=" + space, carol.key())
        .expectError(404, "not_found");
    assertFalse(searchIds(carol, "MkDocs Material docs").contains(copy));
    assertEquals(0, http.get("/v1/stats", carol.key()).expect(200).path("total").asLong());
    for (String format : List.of("omem", "omp", "markdown")) {
      Res export = http.get("/v1/export?format=" + format, carol.key());
      assertEquals(200, export.status(), export.body());
      assertFalse(
          export.body().contains("MkDocs"), format + " export leaks the space: " + export.body());
    }
    JsonNode spaces = http.get("/v1/spaces", carol.key()).expect(200);
    assertEquals(1, spaces.size(), "carol sees only her personal space: " + spaces);
    http.post(
            "/v1/memories/" + copy + "/pull", carol.key(), "{\"source_space\": \"" + space + "\"}")
        .expectError(404, "not_found");
  }

  @Test
  void removingAMemberHoldsFromTheNextRequest() {
    String space = team("ops", bob.id(), "member");
    String id =
        http.create(alice.key(), "The on-call rotation changes on Tuesdays").path("id").asText();
    String copy = share(alice, id, space, 201);
    http.get("/v1/memories/" + copy, bob.key()).expect(200);
    http.delete("/v1/spaces/" + space + "/members/" + bob.id(), alice.key()).expect(200);
    http.get("/v1/memories/" + copy, bob.key()).expectError(404, "not_found");
    assertFalse(searchIds(bob, "on-call rotation Tuesdays").contains(copy));
    http.get("/v1/spaces/" + space, bob.key()).expectError(404, "not_found");
  }

  @Test
  void anOrganizationSpaceIsReadOnlyForMembers() {
    JsonNode org =
        http.post(
                "/v1/spaces",
                alice.key(),
                "{\"name\": \"acme\", \"space_type\": \"organization\", \"members\": [{\"user_id\": \""
                    + bob.id()
                    + "\", \"role\": \"member\"}]}")
            .expect(201);
    String space = org.path("id").asText();
    assertTrue(space.startsWith("org/"), space);
    acceptAll(space);
    http.post(
            "/v1/memories",
            alice.key(),
            "{\"content\": \"Acme's fiscal year starts in April\", \"space_id\": \""
                + space
                + "\"}")
        .expect(201);
    http.post(
            "/v1/memories",
            bob.key(),
            "{\"content\": \"Bob's note for everyone\", \"space_id\": \"" + space + "\"}")
        .expectError(403, "forbidden");
    assertEquals(
        1,
        http.get("/v1/memories?space=" + space, bob.key())
            .expect(200)
            .path("total_count")
            .asLong());
  }

  @Test
  void searchWeighsPersonalOverTeamAndSaysWhereEachResultLives() {
    String space = team("eng", bob.id(), "member");
    String text = "The integration tests need a local Redis on port 6380";
    String mine = http.create(bob.key(), text).path("id").asText();
    String theirs = http.create(alice.key(), text).path("id").asText();
    String copy = share(alice, theirs, space, 201);
    JsonNode r =
        http.get("/v1/memories/search?scope=all&q=integration+tests+Redis+port", bob.key())
            .expect(200);
    JsonNode first = r.path("results").get(0);
    JsonNode second = r.path("results").get(1);
    assertEquals(mine, first.path("memory").path("id").asText(), r.toString());
    assertEquals("personal/" + bob.id(), first.path("memory").path("space_id").asText());
    assertEquals(copy, second.path("memory").path("id").asText(), r.toString());
    assertEquals(space, second.path("memory").path("space_id").asText());
    assertEquals(
        0.8,
        second.path("score").asDouble() / first.path("score").asDouble(),
        0.02,
        "a team result weighs 0.8 of the same personal one: " + r);
    JsonNode onlyTeam =
        http.get("/v1/memories/search?q=integration+tests+Redis&space=" + space, bob.key())
            .expect(200);
    assertEquals(1, onlyTeam.path("results").size(), onlyTeam.toString());
  }

  @Test
  void shareToUserMakesOneBridgingSpaceAndAutoShareRulesCopyNewMemories() {
    String a =
        http.create(alice.key(), "Use conventional commits in every repo").path("id").asText();
    JsonNode first =
        http.post(
                "/v1/memories/" + a + "/share-to-user",
                alice.key(),
                "{\"target_user\": \"" + bob.id() + "\"}")
            .expect(200);
    assertTrue(first.path("space_created").asBoolean(), first.toString());
    String b = http.create(alice.key(), "Squash merge pull requests").path("id").asText();
    JsonNode second =
        http.post(
                "/v1/memories/" + b + "/share-to-user",
                alice.key(),
                "{\"target_user\": \"" + bob.key() + "\"}")
            .expect(200);
    assertFalse(second.path("space_created").asBoolean(), "a key names the same user: " + second);
    assertEquals(first.path("space_id").asText(), second.path("space_id").asText());
    assertTrue(first.path("invitation_pending").asBoolean(), first.toString());
    assertTrue(second.path("invitation_pending").asBoolean(), second.toString());
    // bob sees nothing of the bridging space before accepting its invitation
    assertFalse(
        searchIds(bob, "conventional commits").contains(first.path("shared_copy_id").asText()));
    http.get("/v1/memories/" + first.path("shared_copy_id").asText(), bob.key())
        .expectError(404, "not_found");
    acceptAll(first.path("space_id").asText());
    assertTrue(
        searchIds(bob, "conventional commits").contains(first.path("shared_copy_id").asText()));
    String c = http.create(alice.key(), "Rebase before merging").path("id").asText();
    JsonNode third =
        http.post(
                "/v1/memories/" + c + "/share-to-user",
                alice.key(),
                "{\"target_user\": \"" + bob.id() + "\"}")
            .expect(200);
    assertFalse(third.path("invitation_pending").asBoolean(), third.toString());
    assertEquals(first.path("space_id").asText(), third.path("space_id").asText());

    String space = team("rules", bob.id(), "member");
    http.post(
            "/v1/spaces/" + space + "/auto-share-rules",
            bob.key(),
            "{\"categories\": [\"preferences\"]}")
        .expectError(403, "forbidden");
    http.post(
            "/v1/spaces/" + space + "/auto-share-rules",
            alice.key(),
            "{\"categories\": [\"cases\"], \"min_importance\": 0.7}")
        .expect(201);
    String matching =
        http.create(
                alice.key(),
                "Restart the worker when the queue stalls",
                "category",
                "cases",
                "importance",
                0.9)
            .path("id")
            .asText();
    http.create(alice.key(), "Lunch is at noon", "category", "cases", "importance", 0.2);
    JsonNode inSpace = http.get("/v1/memories?space=" + space, bob.key()).expect(200);
    assertEquals(1, inSpace.path("total_count").asLong(), inSpace.toString());
    assertEquals(
        matching,
        inSpace.path("memories").get(0).path("provenance").path("shared_from_memory").asText());
  }

  @Test
  void badSpaceRequestsAreClearErrors() {
    http.post("/v1/spaces", alice.key(), "{\"name\": \"\"}").expectError(400, "validation_error");
    http.post("/v1/spaces", alice.key(), "{\"name\": \"x\", \"space_type\": \"personal\"}")
        .expectError(400, "validation_error");
    http.post(
            "/v1/spaces",
            alice.key(),
            "{\"name\": \"x\", \"members\": [{\"user_id\": \"nobody\"}]}")
        .expectError(404, "not_found");
    String space = team("t");
    String id = http.create(alice.key(), "A fact to share").path("id").asText();
    http.post("/v1/memories/" + id + "/share", alice.key(), "{}")
        .expectError(400, "validation_error");
    http.post("/v1/memories/" + id + "/share", alice.key(), "{\"target_space\": \"team/nope\"}")
        .expectError(404, "not_found");
    http.post("/v1/memories/" + id + "/share", alice.key(), "{\"target_space\": \"nonsense\"}")
        .expectError(400, "validation_error");
    http.delete("/v1/spaces/" + space + "/members/" + alice.id(), alice.key()).expect(200);
    assertNotEquals(0, http.get("/v1/spaces", alice.key()).expect(200).size());
  }

  private static List<String> memberIds(JsonNode space) {
    List<String> out = new ArrayList<>();
    space.path("members").forEach(m -> out.add(m.path("user_id").asText()));
    return out;
  }
}
