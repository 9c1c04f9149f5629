package dev.omem.store;

/**
 * What makes several nodes on one store one cluster: the change log's wake-up and the lock for work
 * done once. A store one process owns has {@link #local()}; a shared database its own
 * (store/postgres {@code PostgresCoordination}).
 */
public record Coordination(ChangeSignal signal, ClusterLock lock) implements AutoCloseable {
  public static Coordination local() {
    return new Coordination(ChangeSignal.LOCAL, new InProcessClusterLock());
  }

  @Override
  public void close() {
    signal.close();
  }
}
