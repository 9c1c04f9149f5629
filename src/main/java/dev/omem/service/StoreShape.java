package dev.omem.service;

import java.util.List;
import java.util.Map;

/**
 * What the stats counts do not show (the web UI's charts): the tags most used, and the decay curve
 * of the store.
 *
 * @param topTags tags of the active memories, most used first
 * @param decayCurve the active memories' strength today and later, if none were used again
 */
public record StoreShape(Map<String, Long> topTags, List<DecayPoint> decayCurve) {

  /**
   * The store {@code days} from now: the mean of its active memories' decay composite ({@code
   * lifecycle.Decay}, 0 to 1), and how many of them the lifecycle would then move down a tier.
   */
  public record DecayPoint(int days, double meanStrength, long demoted) {}
}
