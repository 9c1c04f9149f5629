package dev.omem.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spaces, invitations, keys and the sharing answers are bound by Jackson from annotations on the
 * records. These bytes are what the hand-written mapping wrote before (field names, order, nulls),
 * and each record reads back equal to itself, so server and remote client cannot drift apart.
 */
class SpaceWireBytesTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-12-02T11:30:00.250Z");

  private static String json(Object map) throws Exception {
    return PLAIN.writeValueAsString(map);
  }

  private static JsonNode tree(Object map) {
    return PLAIN.valueToTree(map);
  }

  @Test
  void aSpaceWithMembersAndRulesKeepsItsBytesAndReadsBack() throws Exception {
    AutoShareRule rule =
        new AutoShareRule(
            "r1",
            "team/x",
            null,
            List.of(Category.PREFERENCES),
            List.of("ci"),
            0.7,
            true,
            "t1",
            T1);
    Space space =
        new Space(
            "team/x",
            SpaceType.TEAM,
            "Team X",
            "t1",
            List.of(new Space.Member("t1", SpaceRole.ADMIN, T1)),
            List.of(rule),
            T1,
            T2);
    String expected =
        "{\"id\":\"team/x\",\"space_type\":\"team\",\"name\":\"Team X\",\"owner_id\":\"t1\","
            + "\"members\":[{\"user_id\":\"t1\",\"role\":\"admin\",\"joined_at\":\"2026-12-01T10:00:00Z\"}],"
            + "\"auto_share_rules\":[{\"id\":\"r1\",\"space_id\":\"team/x\",\"source_space\":null,"
            + "\"categories\":[\"preferences\"],\"tags\":[\"ci\"],\"min_importance\":0.7,"
            + "\"require_approval\":true,\"created_by\":\"t1\",\"created_at\":\"2026-12-01T10:00:00Z\"}],"
            + "\"created_at\":\"2026-12-01T10:00:00Z\",\"updated_at\":\"2026-12-02T11:30:00.250Z\"}";
    assertEquals(expected, json(SpaceJson.of(space)));
    assertEquals(space, SpaceJson.space(tree(SpaceJson.of(space))));
  }

  @Test
  void aRuleWithACategoryThisBuildDoesNotKnowDropsItInsteadOfFailing() throws Exception {
    JsonNode j =
        PLAIN.readTree(
            "{\"id\":\"r\",\"space_id\":\"team/x\",\"categories\":[\"cases\",\"dreams\"],"
                + "\"tags\":[],\"require_approval\":false,\"created_at\":\"2026-12-01T10:00:00Z\"}");
    assertEquals(List.of(Category.CASES), SpaceJson.rule(j).categories());
  }

  @Test
  void anInvitationSaysPendingAndReadsBack() throws Exception {
    Invitation i =
        new Invitation(
            "i1", "org/y", SpaceType.ORGANIZATION, "Org", "t2", SpaceRole.READER, "t1", T1);
    assertEquals(
        "{\"id\":\"i1\",\"space_id\":\"org/y\",\"space_type\":\"organization\",\"space_name\":\"Org\","
            + "\"user_id\":\"t2\",\"role\":\"reader\",\"invited_by\":\"t1\",\"status\":\"pending\","
            + "\"created_at\":\"2026-12-01T10:00:00Z\"}",
        json(SpaceJson.of(i)));
    assertEquals(i, SpaceJson.invitation(tree(SpaceJson.of(i))));
  }

  @Test
  void keysShowTheirStatusAndOnlyAnIssuedKeyCarriesTheSecret() throws Exception {
    ApiKey revoked = new ApiKey("k1", "laptop", "omem_ab", T1, null, null, T2);
    assertEquals(
        "{\"id\":\"k1\",\"name\":\"laptop\",\"prefix\":\"omem_ab\",\"status\":\"revoked\","
            + "\"created_at\":\"2026-12-01T10:00:00Z\",\"last_used_at\":null,\"rotated_at\":null,"
            + "\"revoked_at\":\"2026-12-02T11:30:00.250Z\"}",
        json(ApiKeyJson.of(revoked)));
    assertEquals(revoked, ApiKeyJson.read(tree(ApiKeyJson.of(revoked))));

    ApiKey.Issued issued =
        new ApiKey.Issued(new ApiKey("k2", null, "omem_cd", T1, null, null, null), "s3cret");
    String j = json(ApiKeyJson.of(issued));
    assertEquals(
        "{\"id\":\"k2\",\"name\":null,\"prefix\":\"omem_cd\",\"status\":\"active\","
            + "\"created_at\":\"2026-12-01T10:00:00Z\",\"last_used_at\":null,\"rotated_at\":null,"
            + "\"revoked_at\":null,\"api_key\":\"s3cret\"}",
        j);
    assertEquals(issued, ApiKeyJson.readIssued(tree(ApiKeyJson.of(issued))));
  }

  @Test
  void sharingAnswersKeepTheirShapes() throws Exception {
    ShareResults.AllToUser all =
        new ShareResults.AllToUser("team/z", true, false, new ShareResults.All(5, 3, 1, 1));
    assertEquals(
        "{\"space_id\":\"team/z\",\"space_created\":true,\"invitation_pending\":false,"
            + "\"total\":5,\"shared\":3,\"skipped_existing\":1,\"failed\":1}",
        json(SpaceJson.of(all)));
    assertEquals(all, SpaceJson.allToUser(tree(SpaceJson.of(all))));

    ShareResults.Unshared u = new ShareResults.Unshared("team/z", 2);
    assertEquals(
        "{\"status\":\"unshared\",\"target_space\":\"team/z\",\"removed\":2}",
        json(SpaceJson.of(u)));
    assertEquals(u, SpaceJson.unshared(tree(SpaceJson.of(u))));

    ShareResults.ToUser t = new ShareResults.ToUser("team/z", "c1", false, true);
    assertEquals(
        "{\"space_id\":\"team/z\",\"shared_copy_id\":\"c1\",\"space_created\":false,"
            + "\"invitation_pending\":true}",
        json(SpaceJson.of(t)));
    assertEquals(t, SpaceJson.toUser(tree(SpaceJson.of(t))));

    ShareResults.StaleInfo s = new ShareResults.StaleInfo(true, 2, null, false);
    assertEquals(
        "{\"is_stale\":true,\"source_version\":2,\"current_source_version\":null,"
            + "\"source_deleted\":false}",
        json(SpaceJson.of(s)));
    assertEquals(s, SpaceJson.staleInfo(tree(SpaceJson.of(s))));
    assertNull(SpaceJson.staleInfo(null));

    ShareResults.Batch b =
        new ShareResults.Batch(List.of(), List.of(new ShareResults.Failure("m1", "not found")));
    assertEquals(
        "{\"succeeded\":[],\"failed\":[{\"memory_id\":\"m1\",\"error\":\"not found\"}]}",
        json(SpaceJson.of(b)));
    assertEquals(b, SpaceJson.batch(tree(SpaceJson.of(b))));
  }
}
