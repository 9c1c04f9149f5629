package dev.omem.store.postgres;

import dev.omem.store.ChangeSignal;
import dev.omem.store.Coordination;

/**
 * The cluster's coordination on one PostgreSQL database: LISTEN (or polling) and advisory locks.
 */
public final class PostgresCoordination {
  private PostgresCoordination() {}

  /**
   * {@code listen}: wake-ups through LISTEN/NOTIFY; off (a database without them, such as some
   * PostgreSQL-compatible distributed ones) the nodes poll the change log only.
   */
  public static Coordination open(PostgresDatabase db, boolean listen) {
    ChangeSignal signal = listen ? PostgresChangeSignal.listen(db.url()) : ChangeSignal.POLLING;
    return new Coordination(signal, new PostgresClusterLock(db));
  }
}
