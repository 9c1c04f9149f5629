package dev.omem.ingest;

import java.util.Locale;

/**
 * ourmem's reconciliation decisions for a new fact against what is already stored.
 *
 * <ul>
 *   <li>CREATE: new; stored as its own memory.
 *   <li>MERGE: adds detail to an existing memory, whose text becomes the merged text.
 *   <li>SKIP: already known (same or restated fact); nothing stored.
 *   <li>SUPERSEDE: replaces an existing memory, which is archived with {@code invalidated_at} and
 *       {@code superseded_by}.
 *   <li>SUPPORT: restates an existing memory; its confidence rises by 0.1.
 *   <li>CONTEXTUALIZE: stored, related to the existing memory it qualifies.
 *   <li>CONTRADICT: stored, related to the existing memory it conflicts with; neither is archived
 *       (a person decides which holds).
 * </ul>
 */
public enum Decision {
  CREATE,
  MERGE,
  SKIP,
  SUPERSEDE,
  SUPPORT,
  CONTEXTUALIZE,
  CONTRADICT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Decision fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
