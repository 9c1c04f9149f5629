package dev.omem.domain;

import java.time.Instant;

/**
 * An invitation into a team or organization space. Being named a member makes one; only its
 * accepting makes the invitee a member, so nothing flows between the space and the invitee before.
 *
 * @param userId the invitee's tenant id
 * @param invitedBy the tenant id of the admin who invited
 */
public record Invitation(
    String id,
    String spaceId,
    SpaceType spaceType,
    String spaceName,
    String userId,
    SpaceRole role,
    String invitedBy,
    Instant createdAt) {}
