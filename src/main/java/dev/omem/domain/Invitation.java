package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * An invitation into a team or organization space. Being named a member makes one; only its
 * accepting makes the invitee a member, so nothing flows between the space and the invitee before.
 *
 * @param userId the invitee's tenant id
 * @param invitedBy the tenant id of the admin who invited
 */
@JsonPropertyOrder({
  "id",
  "space_id",
  "space_type",
  "space_name",
  "user_id",
  "role",
  "invited_by",
  "status",
  "created_at"
})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Invitation(
    String id,
    String spaceId,
    SpaceType spaceType,
    String spaceName,
    String userId,
    SpaceRole role,
    String invitedBy,
    Instant createdAt) {

  /** Always {@code pending}: an accepted or declined invitation is no longer listed. */
  @JsonProperty(value = "status", access = JsonProperty.Access.READ_ONLY)
  public String status() {
    return "pending";
  }
}
