package dev.omem.http;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.SpaceJson;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.SpaceRequest;
import dev.omem.wire.AutoShareRuleBody;
import dev.omem.wire.ShareBody;
import dev.omem.wire.SpaceBody;
import dev.omem.wire.WireJson;
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
        .add("POST", "/v1/memories/{id}/reshare", this::reshare)
        .add("POST", "/v1/memories/{id}/share-to-user", this::shareToUser)
        .add("POST", "/v1/memories/share-all-to-user", this::shareAllToUser);
  }

  private static String spaceId(ApiRequest req) {
    return req.path("kind") + "/" + req.path("sid");
  }

  private Reply create(ApiRequest req) {
    SpaceRequest r = WireJson.read(req.object(), SpaceBody.class).request();
    return Reply.created(SpaceJson.of(service.createSpace(req.caller(), r)));
  }

  private Reply list(ApiRequest req) {
    return Reply.ok(service.spaces(req.caller()).stream().map(SpaceJson::of).toList());
  }

  private Reply get(ApiRequest req) {
    return Reply.ok(SpaceJson.of(service.space(req.caller(), spaceId(req))));
  }

  private Reply rename(ApiRequest req) {
    String name = spaceBody(req).name();
    return Reply.ok(SpaceJson.of(service.renameSpace(req.caller(), spaceId(req), name)));
  }

  private static SpaceBody spaceBody(ApiRequest req) {
    return WireJson.read(req.object(), SpaceBody.class);
  }

  private static ShareBody shareBody(ApiRequest req) {
    return WireJson.read(req.object(), ShareBody.class);
  }

  private Reply delete(ApiRequest req) {
    service.deleteSpace(req.caller(), spaceId(req));
    return Reply.ok(Map.of("status", "deleted"));
  }

  private Reply addMember(ApiRequest req) {
    SpaceBody body = spaceBody(req);
    return Reply.created(
        SpaceJson.of(service.putMember(req.caller(), spaceId(req), body.userId(), body.role())));
  }

  private Reply updateMember(ApiRequest req) {
    String role = spaceBody(req).role();
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
    AutoShareRuleRequest r = WireJson.read(req.object(), AutoShareRuleBody.class).request();
    return Reply.created(SpaceJson.of(service.addAutoShareRule(req.caller(), spaceId(req), r)));
  }

  private Reply deleteRule(ApiRequest req) {
    service.deleteAutoShareRule(req.caller(), spaceId(req), req.path("rule"));
    return Reply.ok(Map.of("status", "deleted"));
  }

  private Reply share(ApiRequest req) {
    ShareBody body = shareBody(req);
    ShareResults.Shared s =
        service.share(req.caller(), req.path("id"), body.requiredTargetSpace(), body.note());
    return new Reply(s.created() ? 201 : 200, MemoryJson.of(s.copy()));
  }

  private Reply batchShare(ApiRequest req) {
    ShareBody body = shareBody(req);
    return Reply.ok(
        SpaceJson.of(
            service.batchShare(req.caller(), body.memoryIds(), body.requiredTargetSpace())));
  }

  private Reply shareAll(ApiRequest req) {
    ShareBody body = shareBody(req);
    return Reply.ok(
        SpaceJson.of(
            service.shareAll(req.caller(), body.requiredTargetSpace(), body.shareFilters())));
  }

  private Reply pull(ApiRequest req) {
    ShareResults.Shared s =
        service.pull(req.caller(), req.path("id"), shareBody(req).requiredSourceSpace());
    return new Reply(s.created() ? 201 : 200, MemoryJson.of(s.copy()));
  }

  /** Refreshes a shared copy from its source: 200 with the copy as it now is (as ourmem). */
  private Reply reshare(ApiRequest req) {
    String target = req.body().isMissingNode() ? null : shareBody(req).targetSpace();
    return Reply.ok(
        MemoryJson.of(service.reshare(req.caller(), MemoryRoutes.memoryId(req), target).copy()));
  }

  private Reply unshare(ApiRequest req) {
    return Reply.ok(
        SpaceJson.of(
            service.unshare(req.caller(), req.path("id"), shareBody(req).requiredTargetSpace())));
  }

  private Reply shareToUser(ApiRequest req) {
    ShareBody body = shareBody(req);
    return Reply.ok(
        SpaceJson.of(
            service.shareToUser(
                req.caller(), req.path("id"), body.requiredTargetUser(), body.note())));
  }

  private Reply shareAllToUser(ApiRequest req) {
    ShareBody body = shareBody(req);
    return Reply.ok(
        SpaceJson.of(
            service.shareAllToUser(req.caller(), body.requiredTargetUser(), body.shareFilters())));
  }
}
