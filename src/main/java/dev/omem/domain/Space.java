package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * A space (ourmem's Space object): where memories live and who may read them.
 *
 * @param id {@code personal/<tenant id>}, {@code team/<uuid>} or {@code org/<uuid>}
 * @param ownerId the tenant that created it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Space(
    String id,
    @JsonProperty("space_type") SpaceType type,
    String name,
    String ownerId,
    List<Member> members,
    List<AutoShareRule> autoShareRules,
    Instant createdAt,
    Instant updatedAt) {

  public Space {
    members = members == null ? List.of() : List.copyOf(members);
    autoShareRules = autoShareRules == null ? List.of() : List.copyOf(autoShareRules);
  }

  /** One member: a public tenant id and its role. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Member(String userId, SpaceRole role, Instant joinedAt) {}

  /** The role of {@code userId}, or null when not a member. */
  @JsonIgnore
  public SpaceRole roleOf(String userId) {
    return members.stream()
        .filter(m -> m.userId().equals(userId))
        .map(Member::role)
        .findFirst()
        .orElse(null);
  }
}
