package dev.omem.service;

import java.util.List;

/**
 * A space to create.
 *
 * @param type {@code team} (default) or {@code organization}
 * @param members further members as {@code {user_id, role}} (the creator is its admin)
 */
public record SpaceRequest(String name, String type, List<MemberRequest> members) {

  /** A member to add: a public tenant id (an API key is accepted too) and a role. */
  public record MemberRequest(String userId, String role) {}
}
