package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A member's role in a space: an admin manages members and rules, a member reads and writes, a
 * reader only reads. In an organization space only admins write.
 */
public enum SpaceRole {
  ADMIN,
  MEMBER,
  READER;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static SpaceRole parse(String wire) {
    for (SpaceRole r : values()) {
      if (r.wire().equalsIgnoreCase(wire)) {
        return r;
      }
    }
    throw OmemException.invalid("unknown role '" + wire + "'; use admin, member or reader");
  }
}
