package dev.omem.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Spaces, auto-share rules, invitations and the sharing answers as ourmem's JSON. The field names
 * live on the records themselves (Jackson annotations); this class is the one place the faces
 * render them and the remote client reads them back, so the two cannot drift apart.
 */
public final class SpaceJson {
  private SpaceJson() {}

  /** Any of the space and sharing records above as the map the faces render. */
  public static Map<String, Object> of(Object spaceRecord) {
    return DomainJson.map(spaceRecord);
  }

  public static Space space(JsonNode j) {
    return DomainJson.read(j, Space.class);
  }

  public static Invitation invitation(JsonNode j) {
    return DomainJson.read(j, Invitation.class);
  }

  public static AutoShareRule rule(JsonNode r) {
    return DomainJson.read(r, AutoShareRule.class);
  }

  /** {@code stale_info}, or null when the answer has none. */
  public static ShareResults.StaleInfo staleInfo(JsonNode j) {
    if (j == null || j.isNull() || j.isMissingNode()) {
      return null;
    }
    return DomainJson.read(j, ShareResults.StaleInfo.class);
  }

  public static ShareResults.Batch batch(JsonNode j) {
    return DomainJson.read(j, ShareResults.Batch.class);
  }

  public static ShareResults.All all(JsonNode j) {
    return DomainJson.read(j, ShareResults.All.class);
  }

  public static ShareResults.ToUser toUser(JsonNode j) {
    return DomainJson.read(j, ShareResults.ToUser.class);
  }

  public static ShareResults.AllToUser allToUser(JsonNode j) {
    return DomainJson.read(j, ShareResults.AllToUser.class);
  }

  public static ShareResults.Unshared unshared(JsonNode j) {
    return DomainJson.read(j, ShareResults.Unshared.class);
  }
}
