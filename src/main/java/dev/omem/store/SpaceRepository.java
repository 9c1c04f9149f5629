package dev.omem.store;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Space;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Spaces, their members and their auto-share rules. */
public interface SpaceRepository {
  /** Inserts a space with its first members, in one transaction. */
  void insert(Space s);

  void rename(String id, String name, Instant at);

  /** Removes the space, its members and its rules (its memories are the caller's to delete). */
  void delete(String id);

  /** Adds a member or changes the role of one. */
  void putMember(String spaceId, Space.Member m);

  /** Removes a member; false when it was not one. */
  boolean removeMember(String spaceId, String userId);

  Optional<Space> find(String id);

  /** The stored spaces {@code userId} is a member of, oldest first. */
  List<Space> spacesOf(String userId);

  void insertRule(AutoShareRule r);

  /** Deletes a rule of the space; false when it has no such rule. */
  boolean deleteRule(String spaceId, String ruleId);
}
