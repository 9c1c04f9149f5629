package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The three tiers of spaces (ourmem's dialect): each has an id prefix and the weight its memories
 * get in a search over several spaces (ourmem: personal 1.0, team 0.8, organization 0.6).
 */
public enum SpaceType {
  PERSONAL("personal", 1.0),
  TEAM("team", 0.8),
  ORGANIZATION("org", 0.6);

  private final String prefix;
  private final double searchWeight;

  SpaceType(String prefix, double searchWeight) {
    this.prefix = prefix;
    this.searchWeight = searchWeight;
  }

  /** The wire name: {@code personal}, {@code team}, {@code organization}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The first segment of this type's space ids ({@code personal/…}, {@code team/…}, {@code org/…}).
   */
  public String prefix() {
    return prefix;
  }

  public double searchWeight() {
    return searchWeight;
  }

  @JsonCreator
  public static SpaceType parse(String wire) {
    for (SpaceType t : values()) {
      if (t.wire().equalsIgnoreCase(wire)) {
        return t;
      }
    }
    throw OmemException.invalid(
        "unknown space_type '"
            + wire
            + "'; use team or organization (personal spaces come with"
            + " each tenant)");
  }

  /** The type a space id names by its prefix, or null when it has none of the three. */
  public static SpaceType ofId(String spaceId) {
    int slash = spaceId == null ? -1 : spaceId.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    String p = spaceId.substring(0, slash);
    for (SpaceType t : values()) {
      if (t.prefix.equals(p)) {
        return t;
      }
    }
    return null;
  }
}
