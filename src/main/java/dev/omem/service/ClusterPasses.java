package dev.omem.service;

import dev.omem.store.Coordination;
import dev.omem.store.MetaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Background passes run once per cluster: under the cluster's lock, and on a shared database only
 * when the last run of any node is {@code every} ago (recorded in the store's meta table), so that
 * nodes started at different minutes do not each run the hourly pass. A store of its own runs it
 * whenever asked, as before (the daemon's pass at start).
 */
final class ClusterPasses {
  private final Coordination coordination;
  private final MetaStore meta;
  private final Clock clock;

  ClusterPasses(Coordination coordination, MetaStore meta, Clock clock) {
    this.coordination = coordination;
    this.meta = meta;
    this.clock = clock;
  }

  /** Runs {@code work} if it is due and no other node runs it now; returns whether it ran. */
  boolean runDue(String name, Duration every, Runnable work) {
    boolean shared = coordination.signal().shared();
    String key = "pass_" + name + "_at";
    boolean[] ran = {false};
    coordination
        .lock()
        .runExclusively(
            name,
            () -> {
              Instant now = clock.instant();
              if (shared) {
                Instant last = meta.meta(key).map(Instant::parse).orElse(Instant.EPOCH);
                if (last.plus(every).isAfter(now)) {
                  return;
                }
              }
              work.run();
              if (shared) {
                meta.putMeta(key, now.toString());
              }
              ran[0] = true;
            });
    return ran[0];
  }
}
