package dev.omem.service;

import dev.omem.domain.OmemException;
import dev.omem.index.ChangeFollower;
import dev.omem.store.ChangeSignal;
import dev.omem.store.Coordination;
import java.time.Duration;

/**
 * How often a node of a cluster polls the change log: {@code OMEM_CHANGE_POLL_MS}, else {@link
 * ChangeFollower#POLL_WITH_SIGNAL} beside LISTEN or {@link ChangeFollower#POLL_ALONE} without it.
 */
final class FollowSettings {
  private FollowSettings() {}

  static Duration poll(Coordination c) {
    String v = System.getenv("OMEM_CHANGE_POLL_MS");
    if (v != null && !v.isBlank()) {
      try {
        long ms = Long.parseLong(v.trim());
        if (ms >= 10) {
          return Duration.ofMillis(ms);
        }
      } catch (NumberFormatException e) {
        // refused below
      }
      throw OmemException.invalid(
          "OMEM_CHANGE_POLL_MS must be a whole number of milliseconds, 10 or more, got '"
              + v
              + "'");
    }
    return c.signal() instanceof ChangeSignal.Silent
        ? ChangeFollower.POLL_ALONE
        : ChangeFollower.POLL_WITH_SIGNAL;
  }
}
