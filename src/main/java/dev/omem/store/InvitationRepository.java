package dev.omem.store;

import dev.omem.domain.Invitation;
import dev.omem.domain.SpaceRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Invitations into spaces not answered yet; accepting makes the member in one transaction. */
public interface InvitationRepository {
  /** Invites {@code userId}, or changes the role of its pending invitation (keeping its id). */
  void put(String id, String spaceId, String userId, SpaceRole role, String by, Instant at);

  Optional<Invitation> find(String id);

  /** The pending invitation of {@code userId} into {@code spaceId}, if any. */
  Optional<Invitation> find(String spaceId, String userId);

  /** The invitations waiting for {@code userId}'s answer, oldest first. */
  List<Invitation> forUser(String userId);

  /** The pending invitations of a space, oldest first. */
  List<Invitation> ofSpace(String spaceId);

  /** Removes an invitation (declined or revoked); false when there was none. */
  boolean delete(String id);

  /**
   * Makes the invitee a member with the invitation's role and removes the invitation, in one
   * transaction; false when the invitation was gone already.
   */
  boolean accept(Invitation i, Instant at);
}
