package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.domain.OmemException;
import dev.omem.service.SpaceRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/spaces} ({@code name}, {@code space_type}, {@code members}), and of a
 * rename ({@code name}) or a member's change ({@code user_id}, {@code role}).
 */
public record SpaceBody(
    String name,
    @JsonProperty("space_type") String spaceType,
    List<Member> members,
    @JsonProperty("user_id") String userId,
    String role) {

  /** A member to add: a public tenant id and a role. */
  public record Member(@JsonProperty("user_id") String userId, String role) {}

  public static SpaceBody of(SpaceRequest r) {
    List<Member> members =
        r.members() == null
            ? null
            : r.members().stream().map(m -> new Member(m.userId(), m.role())).toList();
    return new SpaceBody(r.name(), r.type(), members, null, null);
  }

  public static SpaceBody named(String name) {
    return new SpaceBody(name, null, null, null, null);
  }

  public static SpaceBody member(String userId, String role) {
    return new SpaceBody(null, null, null, userId, role);
  }

  public SpaceRequest request() {
    List<SpaceRequest.MemberRequest> out = new ArrayList<>();
    if (members != null) {
      for (Member m : members) {
        if (m == null) {
          throw OmemException.invalid("each member must be an object {user_id, role}");
        }
        out.add(new SpaceRequest.MemberRequest(m.userId(), m.role()));
      }
    }
    return new SpaceRequest(name, spaceType, out);
  }
}
