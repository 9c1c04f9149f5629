package dev.omem.index;

import dev.omem.store.Change;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * How late other nodes' writes became searchable here: for each change another node wrote, the time
 * from its change-log entry ({@link Change#at}, the database's clock) to the reader refresh that
 * first showed it, in ms, handed to whoever reports it ({@code /metrics}). On one machine the
 * clocks are one; across machines the figure is off by the node's clock skew to the database's.
 */
public final class ReplicationLag {
  private volatile LongConsumer sink = ms -> {};

  /** Every later sample goes to {@code sink} (a metric); none is kept here. */
  public void reportTo(LongConsumer sink) {
    this.sink = sink;
  }

  /**
   * {@code applied} became searchable at {@code nowMs}: one sample per change another node wrote.
   */
  void searchable(List<Change> applied, long nowMs) {
    LongConsumer s = sink;
    for (Change ch : applied) {
      if (ch.foreign()) {
        s.accept(Math.max(0, nowMs - ch.at()));
      }
    }
  }
}
