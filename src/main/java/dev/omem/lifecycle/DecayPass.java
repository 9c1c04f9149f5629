package dev.omem.lifecycle;

import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One lifecycle pass, computed: which active memories expire (archived) and which move tier ({@link
 * Tiers#next}), each change with its history step. Only computes; whoever runs the pass applies the
 * plan in one write.
 */
public final class DecayPass {
  /** The history steps of a pass name it as their source. */
  public static final String SOURCE = "decay";

  private DecayPass() {}

  /**
   * A memory as the pass leaves it, and the history step that says why.
   *
   * @param memory the memory after the pass (archived, or in its new tier)
   * @param step its history entry: {@code archived} ("expired") or {@code tier_changed}
   */
  public record Change(Memory memory, HistoryEntry step) {}

  /**
   * What one pass changes.
   *
   * @param examined active memories looked at
   * @param promoted memories moved one tier up
   * @param demoted memories moved one tier down
   * @param archived expired memories archived
   * @param transitions counts by move, e.g. {@code peripheral->working}
   * @param changes every changed memory, in the order examined
   */
  public record Plan(
      long examined,
      long promoted,
      long demoted,
      long archived,
      Map<String, Long> transitions,
      List<Change> changes) {}

  /** The pass over {@code active} (the active memories) at {@code now}. */
  public static Plan plan(List<Memory> active, Instant now) {
    long promoted = 0;
    long demoted = 0;
    long archived = 0;
    Map<String, Long> moves = new TreeMap<>();
    List<Change> changes = new ArrayList<>();
    for (Memory m : active) {
      if (m.expiresAt() != null && !m.expiresAt().isAfter(now)) {
        changes.add(
            new Change(
                m.edited(null, null, null, null, MemoryState.ARCHIVED, now),
                step(HistoryEntry.Action.ARCHIVED, now, "expired")));
        archived++;
        moves.merge("active->archived", 1L, Long::sum);
        continue;
      }
      Tier next = Tiers.next(m, now);
      if (next != m.tier()) {
        changes.add(
            new Change(
                m.withTier(next),
                step(
                    HistoryEntry.Action.TIER_CHANGED,
                    now,
                    m.tier().wire() + " -> " + next.wire())));
        if (next.ordinal() < m.tier().ordinal()) {
          promoted++;
        } else {
          demoted++;
        }
        moves.merge(m.tier().wire() + "->" + next.wire(), 1L, Long::sum);
      }
    }
    return new Plan(active.size(), promoted, demoted, archived, moves, List.copyOf(changes));
  }

  private static HistoryEntry step(HistoryEntry.Action action, Instant at, String note) {
    return new HistoryEntry(action, at, null, null, SOURCE, null, note);
  }
}
