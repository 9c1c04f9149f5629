package dev.omem.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.AutoShareRule;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Invitation;
import dev.omem.domain.MemoryJsonReader;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.Caller;
import dev.omem.service.RequestValidator;
import dev.omem.service.SpaceRequest;
import dev.omem.wire.AutoShareRuleBody;
import dev.omem.wire.ShareBody;
import dev.omem.wire.SpaceBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The spaces and sharing area of the remote client (docs/rest-api.md "Spaces and sharing"). */
final class SpaceClient {
  private final RemoteHttp http;

  SpaceClient(RemoteHttp http) {
    this.http = http;
  }

  public Space createSpace(Caller caller, SpaceRequest r) {
    SpaceBody body = SpaceBody.of(r);
    return space(http.send(RemoteRequest.post("v1", "spaces").caller(caller).body(body)));
  }

  List<Space> spaces(Caller caller) {
    JsonNode j = http.send(RemoteRequest.get("v1", "spaces").caller(caller));
    return http.read(
        () -> {
          List<Space> out = new ArrayList<>();
          j.forEach(s -> out.add(SpaceJson.space(s)));
          return out;
        });
  }

  Space space(Caller caller, String spaceId) {
    return space(http.send(RemoteRequest.get(spacePath(spaceId)).caller(caller)));
  }

  Space renameSpace(Caller caller, String spaceId, String name) {
    return space(
        http.send(
            RemoteRequest.put(spacePath(spaceId)).caller(caller).body(SpaceBody.named(name))));
  }

  void deleteSpace(Caller caller, String spaceId) {
    http.send(RemoteRequest.delete(spacePath(spaceId)).caller(caller));
  }

  Space putMember(Caller caller, String spaceId, String userId, String role) {
    SpaceBody body = SpaceBody.member(userId, role);
    return space(
        http.send(RemoteRequest.post(spacePath(spaceId, "members")).caller(caller).body(body)));
  }

  Space removeMember(Caller caller, String spaceId, String userId) {
    return space(
        http.send(RemoteRequest.delete(spacePath(spaceId, "members", userId)).caller(caller)));
  }

  List<Invitation> invitations(Caller caller) {
    return invitationList(http.send(RemoteRequest.get("v1", "invitations").caller(caller)));
  }

  List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return invitationList(
        http.send(RemoteRequest.get(spacePath(spaceId, "invitations")).caller(caller)));
  }

  Space acceptInvitation(Caller caller, String invitationId) {
    return space(
        http.send(
            RemoteRequest.post("v1", "invitations", invitationId(invitationId), "accept")
                .caller(caller)
                .body(Map.of())));
  }

  void declineInvitation(Caller caller, String invitationId) {
    http.send(
        RemoteRequest.post("v1", "invitations", invitationId(invitationId), "decline")
            .caller(caller)
            .body(Map.of()));
  }

  void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    http.send(
        RemoteRequest.delete(spacePath(spaceId, "invitations", invitationId(invitationId)))
            .caller(caller));
  }

  private static String invitationId(String raw) {
    if (raw == null || raw.isBlank()) {
      throw OmemException.invalid("invitation_id is required (space_invitations lists them)");
    }
    return raw.trim();
  }

  private List<Invitation> invitationList(JsonNode j) {
    return http.read(
        () -> {
          List<Invitation> out = new ArrayList<>();
          j.forEach(i -> out.add(SpaceJson.invitation(i)));
          return out;
        });
  }

  AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest r) {
    AutoShareRuleBody body = AutoShareRuleBody.of(r);
    JsonNode j =
        http.send(
            RemoteRequest.post(spacePath(spaceId, "auto-share-rules")).caller(caller).body(body));
    return http.read(() -> SpaceJson.rule(j));
  }

  List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    JsonNode j =
        http.send(RemoteRequest.get(spacePath(spaceId, "auto-share-rules")).caller(caller));
    return http.read(
        () -> {
          List<AutoShareRule> out = new ArrayList<>();
          j.forEach(r -> out.add(SpaceJson.rule(r)));
          return out;
        });
  }

  void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    http.send(RemoteRequest.delete(spacePath(spaceId, "auto-share-rules", ruleId)).caller(caller));
  }

  ShareResults.Shared share(Caller caller, String memoryId, String target, String note) {
    ShareBody body = ShareBody.toSpace(target, note);
    return shared(
        RemoteRequest.post("v1", "memories", RequestValidator.id(memoryId), "share"), caller, body);
  }

  ShareResults.Batch batchShare(Caller caller, List<String> ids, String target) {
    ShareBody body = ShareBody.batch(ids, target);
    JsonNode j =
        http.send(RemoteRequest.post("v1", "memories", "batch-share").caller(caller).body(body));
    return http.read(() -> SpaceJson.batch(j));
  }

  ShareResults.All shareAll(Caller caller, String target, ShareResults.Filters filters) {
    ShareBody body = ShareBody.all(target, null, filters);
    JsonNode j =
        http.send(RemoteRequest.post("v1", "memories", "share-all").caller(caller).body(body));
    return http.read(() -> SpaceJson.all(j));
  }

  ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace) {
    ShareBody body = ShareBody.fromSpace(sourceSpace);
    return shared(
        RemoteRequest.post("v1", "memories", RequestValidator.id(memoryId), "pull"), caller, body);
  }

  ShareResults.Unshared unshare(Caller caller, String memoryId, String target) {
    ShareBody body = ShareBody.toSpace(target, null);
    JsonNode j =
        http.send(
            RemoteRequest.post("v1", "memories", RequestValidator.id(memoryId), "unshare")
                .caller(caller)
                .body(body));
    return http.read(() -> SpaceJson.unshared(j));
  }

  ShareResults.ToUser shareToUser(Caller caller, String memoryId, String targetUser, String note) {
    ShareBody body = ShareBody.toUser(targetUser, note);
    JsonNode j =
        http.send(
            RemoteRequest.post("v1", "memories", RequestValidator.id(memoryId), "share-to-user")
                .caller(caller)
                .body(body));
    return http.read(() -> SpaceJson.toUser(j));
  }

  ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters) {
    ShareBody body = ShareBody.all(null, targetUser, filters);
    JsonNode j =
        http.send(
            RemoteRequest.post("v1", "memories", "share-all-to-user").caller(caller).body(body));
    return http.read(() -> SpaceJson.allToUser(j));
  }

  /**
   * omem's {@code GET /v1/memories/{id}/stale-info}, which neither counts an access nor confirms a
   * candidate, as in-process; an ourmem server has only {@code GET /v1/memories/{id}?check_stale}.
   */
  ShareResults.StaleInfo staleInfo(Caller caller, String memoryId) {
    String id = RequestValidator.id(memoryId);
    JsonNode j;
    try {
      j = http.send(RemoteRequest.get("v1", "memories", id, "stale-info").caller(caller));
    } catch (OmemException e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      j =
          http.send(
              RemoteRequest.get("v1", "memories", id).query("check_stale", "true").caller(caller));
    }
    JsonNode answer = j;
    return http.read(() -> SpaceJson.staleInfo(answer.get("stale_info")));
  }

  private ShareResults.Shared shared(RemoteRequest req, Caller caller, ShareBody body) {
    JsonNode j = http.send(req.caller(caller).body(body));
    return new ShareResults.Shared(
        http.read(() -> MemoryJsonReader.memory(j)), req.answeredStatus == 201);
  }

  private Space space(JsonNode j) {
    return http.read(() -> SpaceJson.space(j));
  }

  /** {@code /v1/spaces/<type>/<id>/...}: a space id's slash separates two path segments. */
  private static String[] spacePath(String spaceId, String... more) {
    if (spaceId == null || spaceId.indexOf('/') <= 0) {
      throw OmemException.invalid(
          "space '" + spaceId + "' is not a space id (personal/…, team/… or org/…)");
    }
    List<String> p = new ArrayList<>(List.of("v1", "spaces"));
    p.addAll(List.of(spaceId.split("/", 2)));
    p.addAll(List.of(more));
    return p.toArray(String[]::new);
  }
}
