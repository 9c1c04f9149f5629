package dev.omem.domain;

import java.time.Instant;
import java.util.List;

/**
 * A space (ourmem's Space object): where memories live and who may read them.
 *
 * @param id {@code personal/<tenant id>}, {@code team/<uuid>} or {@code org/<uuid>}
 * @param ownerId the tenant that created it
 */
public record Space(
    String id,
    SpaceType type,
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
  public record Member(String userId, SpaceRole role, Instant joinedAt) {}

  /** The role of {@code userId}, or null when not a member. */
  public SpaceRole roleOf(String userId) {
    return members.stream()
        .filter(m -> m.userId().equals(userId))
        .map(Member::role)
        .findFirst()
        .orElse(null);
  }
}
