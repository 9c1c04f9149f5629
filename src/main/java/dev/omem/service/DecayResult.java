package dev.omem.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one lifecycle pass changed.
 *
 * @param examined active memories looked at
 * @param promoted memories moved one tier up
 * @param demoted memories moved one tier down
 * @param archived expired memories archived
 * @param transitions counts by move, e.g. {@code peripheral->working}
 */
public record DecayResult(
    long examined, long promoted, long demoted, long archived, Map<String, Long> transitions) {

  public DecayResult {
    transitions = transitions == null ? Map.of() : Map.copyOf(transitions);
  }

  /** The JSON object {@code omem decay --json} prints and {@code POST /v1/decay} answers. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("examined", examined);
    out.put("promoted", promoted);
    out.put("demoted", demoted);
    out.put("archived", archived);
    out.put("transitions", new java.util.TreeMap<>(transitions));
    return out;
  }
}
