package dev.omem.service;

import dev.omem.domain.Memory;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How often each tag is used over some memories, the one count behind the web UI's top tags ({@link
 * StoreShapeBuilder}) and ourmem's {@code /v1/stats/tags} ({@link StatsViews}).
 *
 * @param counts each tag's memories, most used first, ties by name
 * @param usages every tag of every memory, counted once per memory
 * @param spaces the spaces each tag is used in, by tag name
 */
record TagCounts(Map<String, Long> counts, long usages, Map<String, Set<String>> spaces) {

  static TagCounts of(Iterable<Memory> memories) {
    Map<String, Long> byName = new TreeMap<>();
    Map<String, Set<String>> spaces = new TreeMap<>();
    long usages = 0;
    for (Memory m : memories) {
      for (String t : m.tags()) {
        byName.merge(t, 1L, Long::sum);
        spaces.computeIfAbsent(t, k -> new HashSet<>()).add(m.spaceId());
        usages++;
      }
    }
    Map<String, Long> sorted = new LinkedHashMap<>();
    // A stable sort of the names in order: ties stay by name.
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return new TagCounts(sorted, usages, spaces);
  }

  /** The {@code n} most used tags used at least {@code minCount} times, most used first. */
  Map<String, Long> top(int n, long minCount) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .filter(e -> e.getValue() >= minCount)
        .limit(n)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Tags used in two spaces or more, by name. */
  List<String> crossSpace() {
    return spaces.entrySet().stream()
        .filter(e -> e.getValue().size() >= 2)
        .map(Map.Entry::getKey)
        .toList();
  }
}
