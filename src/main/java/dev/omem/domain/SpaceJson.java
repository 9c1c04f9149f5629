package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spaces, auto-share rules and the sharing answers as ourmem's JSON, written for the faces and read
 * back by the remote client, so the two cannot drift apart.
 */
public final class SpaceJson {
  private SpaceJson() {}

  public static Map<String, Object> of(Space s) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", s.id());
    j.put("space_type", s.type().wire());
    j.put("name", s.name());
    j.put("owner_id", s.ownerId());
    List<Map<String, Object>> members = new ArrayList<>();
    for (Space.Member m : s.members()) {
      Map<String, Object> mj = new LinkedHashMap<>();
      mj.put("user_id", m.userId());
      mj.put("role", m.role().wire());
      mj.put("joined_at", m.joinedAt().toString());
      members.add(mj);
    }
    j.put("members", members);
    j.put("auto_share_rules", s.autoShareRules().stream().map(SpaceJson::of).toList());
    j.put("created_at", s.createdAt().toString());
    j.put("updated_at", s.updatedAt().toString());
    return j;
  }

  public static Map<String, Object> of(AutoShareRule r) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", r.id());
    j.put("space_id", r.spaceId());
    j.put("source_space", r.sourceSpace());
    j.put("categories", r.categories().stream().map(Category::wire).toList());
    j.put("tags", r.tags());
    j.put("min_importance", r.minImportance());
    j.put("require_approval", r.requireApproval());
    j.put("created_by", r.createdBy());
    j.put("created_at", r.createdAt().toString());
    return j;
  }

  public static Map<String, Object> of(Invitation i) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", i.id());
    j.put("space_id", i.spaceId());
    j.put("space_type", i.spaceType().wire());
    j.put("space_name", i.spaceName());
    j.put("user_id", i.userId());
    j.put("role", i.role().wire());
    j.put("invited_by", i.invitedBy());
    j.put("status", "pending");
    j.put("created_at", i.createdAt().toString());
    return j;
  }

  public static Map<String, Object> of(ShareResults.StaleInfo s) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("is_stale", s.isStale());
    j.put("source_version", s.sourceVersion());
    j.put("current_source_version", s.currentSourceVersion());
    j.put("source_deleted", s.sourceDeleted());
    return j;
  }

  public static Map<String, Object> of(ShareResults.Batch b) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("succeeded", b.succeeded().stream().map(MemoryJson::of).toList());
    j.put(
        "failed",
        b.failed().stream()
            .map(f -> Map.of("memory_id", f.memoryId(), "error", f.error()))
            .toList());
    return j;
  }

  public static Map<String, Object> of(ShareResults.All a) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("total", a.total());
    j.put("shared", a.shared());
    j.put("skipped_existing", a.skippedExisting());
    j.put("failed", a.failed());
    return j;
  }

  public static Map<String, Object> of(ShareResults.ToUser t) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("space_id", t.spaceId());
    j.put("shared_copy_id", t.sharedCopyId());
    j.put("space_created", t.spaceCreated());
    j.put("invitation_pending", t.invitationPending());
    return j;
  }

  public static Map<String, Object> of(ShareResults.AllToUser t) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("space_id", t.spaceId());
    j.put("space_created", t.spaceCreated());
    j.put("invitation_pending", t.invitationPending());
    j.putAll(of(t.counts()));
    return j;
  }

  public static Map<String, Object> of(ShareResults.Unshared u) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("status", "unshared");
    j.put("target_space", u.targetSpace());
    j.put("removed", u.removed());
    return j;
  }

  // ---- reading (the remote client) ----

  public static Space space(JsonNode j) {
    List<Space.Member> members = new ArrayList<>();
    for (JsonNode m : j.path("members")) {
      members.add(
          new Space.Member(
              m.path("user_id").asText(),
              SpaceRole.parse(m.path("role").asText()),
              time(m.get("joined_at"))));
    }
    List<AutoShareRule> rules = new ArrayList<>();
    for (JsonNode r : j.path("auto_share_rules")) {
      rules.add(rule(r));
    }
    return new Space(
        j.path("id").asText(),
        SpaceType.parse(j.path("space_type").asText()),
        j.path("name").asText(),
        j.path("owner_id").asText(),
        members,
        rules,
        time(j.get("created_at")),
        time(j.get("updated_at")));
  }

  public static Invitation invitation(JsonNode j) {
    return new Invitation(
        j.path("id").asText(),
        j.path("space_id").asText(),
        SpaceType.parse(j.path("space_type").asText()),
        j.path("space_name").asText(),
        j.path("user_id").asText(),
        SpaceRole.parse(j.path("role").asText()),
        j.path("invited_by").asText(),
        time(j.get("created_at")));
  }

  public static AutoShareRule rule(JsonNode r) {
    List<Category> categories = new ArrayList<>();
    r.path("categories").forEach(c -> Category.parse(c.asText()).ifPresent(categories::add));
    List<String> tags = new ArrayList<>();
    r.path("tags").forEach(t -> tags.add(t.asText()));
    JsonNode min = r.get("min_importance");
    return new AutoShareRule(
        r.path("id").asText(),
        r.path("space_id").asText(),
        text(r.get("source_space")),
        categories,
        tags,
        min == null || min.isNull() ? null : min.asDouble(),
        r.path("require_approval").asBoolean(false),
        text(r.get("created_by")),
        time(r.get("created_at")));
  }

  public static ShareResults.StaleInfo staleInfo(JsonNode j) {
    if (j == null || j.isNull() || j.isMissingNode()) {
      return null;
    }
    JsonNode current = j.get("current_source_version");
    return new ShareResults.StaleInfo(
        j.path("is_stale").asBoolean(),
        j.path("source_version").asLong(),
        current == null || current.isNull() ? null : current.asLong(),
        j.path("source_deleted").asBoolean());
  }

  public static ShareResults.Batch batch(JsonNode j) {
    List<Memory> ok = new ArrayList<>();
    j.path("succeeded").forEach(m -> ok.add(MemoryJsonReader.memory(m)));
    List<ShareResults.Failure> failed = new ArrayList<>();
    j.path("failed")
        .forEach(
            f ->
                failed.add(
                    new ShareResults.Failure(
                        f.path("memory_id").asText(), f.path("error").asText())));
    return new ShareResults.Batch(ok, failed);
  }

  public static ShareResults.All all(JsonNode j) {
    return new ShareResults.All(
        j.path("total").asInt(),
        j.path("shared").asInt(),
        j.path("skipped_existing").asInt(),
        j.path("failed").asInt());
  }

  public static ShareResults.ToUser toUser(JsonNode j) {
    return new ShareResults.ToUser(
        j.path("space_id").asText(),
        j.path("shared_copy_id").asText(),
        j.path("space_created").asBoolean(),
        j.path("invitation_pending").asBoolean());
  }

  public static ShareResults.AllToUser allToUser(JsonNode j) {
    return new ShareResults.AllToUser(
        j.path("space_id").asText(),
        j.path("space_created").asBoolean(),
        j.path("invitation_pending").asBoolean(),
        all(j));
  }

  public static ShareResults.Unshared unshared(JsonNode j) {
    return new ShareResults.Unshared(j.path("target_space").asText(), j.path("removed").asInt());
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Instant time(JsonNode n) {
    return n == null || n.isNull() ? Instant.EPOCH : Instant.parse(n.asText());
  }
}
