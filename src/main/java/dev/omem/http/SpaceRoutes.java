package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.SpaceJson;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.SpaceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The spaces and sharing routes of ourmem's dialect (docs/rest-api.md "Spaces and sharing"). A
 * space id has a slash ({@code team/<uuid>}), so its two halves are two path segments.
 */
final class SpaceRoutes {
  private static final String SPACE = "/v1/spaces/{kind}/{sid}";

  private final MemoryService service;

  SpaceRoutes(MemoryService service) {
    this.service = service;
  }

  void register(Router r) {
    r.add("POST", "/v1/spaces", this::create)
        .add("GET", "/v1/spaces", this::list)
        .add("GET", SPACE, this::get)
        .add("PUT", SPACE, this::rename)
        .add("DELETE", SPACE, this::delete)
        .add("POST", SPACE + "/members", this::addMember)
        .add("PUT", SPACE + "/members/{user}", this::updateMember)
        .add("DELETE", SPACE + "/members/{user}", this::removeMember)
        .add("GET", SPACE + "/invitations", this::spaceInvitations)
        .add("DELETE", SPACE + "/invitations/{invitation}", this::revokeInvitation)
        .add("GET", "/v1/invitations", this::invitations)
        .add("POST", "/v1/invitations/{invitation}/accept", this::accept)
        .add("POST", "/v1/invitations/{invitation}/decline", this::decline)
        .add("GET", SPACE + "/auto-share-rules", this::rules)
        .add("POST", SPACE + "/auto-share-rules", this::addRule)
        .add("DELETE", SPACE + "/auto-share-rules/{rule}", this::deleteRule)
        .add("POST", "/v1/memories/{id}/share", this::share)
        .add("POST", "/v1/memories/batch-share", this::batchShare)
        .add("POST", "/v1/memories/share-all", this::shareAll)
        .add("POST", "/v1/memories/{id}/pull", this::pull)
        .add("POST", "/v1/memories/{id}/unshare", this::unshare)
        .add("POST", "/v1/memories/{id}/share-to-user", this::shareToUser)
        .add("POST", "/v1/memories/share-all-to-user", this::shareAllToUser);
  }

  private static String spaceId(ApiRequest req) {
    return req.path("kind") + "/" + req.path("sid");
  }

  private Reply create(ApiRequest req) {
    JsonNode body = req.object();
    List<SpaceRequest.MemberRequest> members = new ArrayList<>();
    JsonNode m = body.get("members");
    if (m != null && !m.isNull()) {
      if (!m.isArray()) {
        throw OmemException.invalid("members must be a list of {user_id, role}");
      }
      for (JsonNode one : m) {
        if (!one.isObject()) {
          throw OmemException.invalid("each member must be an object {user_id, role}");
        }
        members.add(
            new SpaceRequest.MemberRequest(
                ApiRequest.text(one, "user_id"), ApiRequest.text(one, "role")));
      }
    }
    SpaceRequest r =
        new SpaceRequest(
            ApiRequest.text(body, "name"), ApiRequest.text(body, "space_type"), members);
    return Reply.created(SpaceJson.of(service.createSpace(req.caller(), r)));
  }

  private Reply list(ApiRequest req) {
    return Reply.ok(service.spaces(req.caller()).stream().map(SpaceJson::of).toList());
  }

  private Reply get(ApiRequest req) {
    return Reply.ok(SpaceJson.of(service.space(req.caller(), spaceId(req))));
  }

  private Reply rename(ApiRequest req) {
    String name = ApiRequest.text(req.object(), "name");
    return Reply.ok(SpaceJson.of(service.renameSpace(req.caller(), spaceId(req), name)));
  }

  private Reply delete(ApiRequest req) {
    service.deleteSpace(req.caller(), spaceId(req));
    return Reply.ok(Map.of("status", "deleted"));
  }

  private Reply addMember(ApiRequest req) {
    JsonNode body = req.object();
    return Reply.created(
        SpaceJson.of(
            service.putMember(
                req.caller(),
                spaceId(req),
                ApiRequest.text(body, "user_id"),
                ApiRequest.text(body, "role"))));
  }

  private Reply updateMember(ApiRequest req) {
    String role = ApiRequest.text(req.object(), "role");
    if (role == null) {
      throw OmemException.invalid("role is required: admin, member or reader");
    }
    return Reply.ok(
        SpaceJson.of(service.putMember(req.caller(), spaceId(req), req.path("user"), role)));
  }

  private Reply removeMember(ApiRequest req) {
    return Reply.ok(
        SpaceJson.of(service.removeMember(req.caller(), spaceId(req), req.path("user"))));
  }

  private Reply spaceInvitations(ApiRequest req) {
    return Reply.ok(
        service.spaceInvitations(req.caller(), spaceId(req)).stream().map(SpaceJson::of).toList());
  }

  private Reply revokeInvitation(ApiRequest req) {
    service.revokeInvitation(req.caller(), spaceId(req), req.path("invitation"));
    return Reply.ok(Map.of("status", "revoked"));
  }

  private Reply invitations(ApiRequest req) {
    return Reply.ok(service.invitations(req.caller()).stream().map(SpaceJson::of).toList());
  }

  private Reply accept(ApiRequest req) {
    return Reply.ok(SpaceJson.of(service.acceptInvitation(req.caller(), req.path("invitation"))));
  }

  private Reply decline(ApiRequest req) {
    service.declineInvitation(req.caller(), req.path("invitation"));
    return Reply.ok(Map.of("status", "declined"));
  }

  private Reply rules(ApiRequest req) {
    return Reply.ok(
        service.autoShareRules(req.caller(), spaceId(req)).stream().map(SpaceJson::of).toList());
  }

  private Reply addRule(ApiRequest req) {
    JsonNode body = req.object();
    JsonNode approval = body.get("require_approval");
    AutoShareRuleRequest r =
        new AutoShareRuleRequest(
            ApiRequest.text(body, "source_space"),
            ApiRequest.strings(body, "categories"),
            ApiRequest.strings(body, "tags"),
            ApiRequest.number(body, "min_importance"),
            approval == null || approval.isNull()
                ? null
                : ApiRequest.bool(body, "require_approval"));
    return Reply.created(SpaceJson.of(service.addAutoShareRule(req.caller(), spaceId(req), r)));
  }

  private Reply deleteRule(ApiRequest req) {
    service.deleteAutoShareRule(req.caller(), spaceId(req), req.path("rule"));
    return Reply.ok(Map.of("status", "deleted"));
  }

  private Reply share(ApiRequest req) {
    JsonNode body = req.object();
    ShareResults.Shared s =
        service.share(
            req.caller(),
            req.path("id"),
            required(body, "target_space"),
            ApiRequest.text(body, "note"));
    return new Reply(s.created() ? 201 : 200, MemoryJson.of(s.copy()));
  }

  private Reply batchShare(ApiRequest req) {
    JsonNode body = req.object();
    List<String> ids = ApiRequest.strings(body, "memory_ids");
    return Reply.ok(
        SpaceJson.of(service.batchShare(req.caller(), ids, required(body, "target_space"))));
  }

  private Reply shareAll(ApiRequest req) {
    JsonNode body = req.object();
    return Reply.ok(
        SpaceJson.of(
            service.shareAll(req.caller(), required(body, "target_space"), filters(body))));
  }

  private Reply pull(ApiRequest req) {
    JsonNode body = req.object();
    ShareResults.Shared s =
        service.pull(req.caller(), req.path("id"), required(body, "source_space"));
    return new Reply(s.created() ? 201 : 200, MemoryJson.of(s.copy()));
  }

  private Reply unshare(ApiRequest req) {
    JsonNode body = req.object();
    return Reply.ok(
        SpaceJson.of(
            service.unshare(req.caller(), req.path("id"), required(body, "target_space"))));
  }

  private Reply shareToUser(ApiRequest req) {
    JsonNode body = req.object();
    return Reply.ok(
        SpaceJson.of(
            service.shareToUser(
                req.caller(),
                req.path("id"),
                required(body, "target_user"),
                ApiRequest.text(body, "note"))));
  }

  private Reply shareAllToUser(ApiRequest req) {
    JsonNode body = req.object();
    return Reply.ok(
        SpaceJson.of(
            service.shareAllToUser(req.caller(), required(body, "target_user"), filters(body))));
  }

  private static String required(JsonNode body, String field) {
    String v = ApiRequest.text(body, field);
    if (v == null || v.isBlank()) {
      throw OmemException.invalid(field + " is required");
    }
    return v;
  }

  /** share-all's {@code filters: {categories, tags, min_importance}}, or null. */
  private static ShareResults.Filters filters(JsonNode body) {
    JsonNode f = body.get("filters");
    if (f == null || f.isNull()) {
      return null;
    }
    if (!f.isObject()) {
      throw OmemException.invalid("filters must be an object {categories, tags, min_importance}");
    }
    return new ShareResults.Filters(
        ApiRequest.strings(f, "categories"),
        ApiRequest.strings(f, "tags"),
        ApiRequest.number(f, "min_importance"));
  }
}
