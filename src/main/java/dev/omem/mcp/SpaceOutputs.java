package dev.omem.mcp;

import dev.omem.domain.Space;
import java.util.List;
import java.util.Map;

/** Output schemas and text renderings shared by the space tools. */
final class SpaceOutputs {
  private SpaceOutputs() {}

  static Map<String, Object> space() {
    return Schemas.object(
        List.of("id", "space_type", "name", "members"),
        Schemas.props(
            "id", Map.of("type", "string"),
            "space_type", Map.of("type", "string"),
            "name", Map.of("type", "string"),
            "owner_id", Map.of("type", "string"),
            "members", Map.of("type", "array", "items", Map.of("type", "object"))));
  }

  static String line(Space s) {
    return s.id()
        + " \""
        + s.name()
        + "\" ("
        + s.type().wire()
        + ", "
        + s.members().size()
        + (s.members().size() == 1 ? " member" : " members")
        + ")";
  }

  static final String SPACE_ID =
      "The space's id: 'team/…' or 'org/…' (as space_list shows), or 'personal/<your id>'.";

  static final String USER_ID =
      "The user's public tenant id (an API key is accepted too, for ourmem clients).";
}
