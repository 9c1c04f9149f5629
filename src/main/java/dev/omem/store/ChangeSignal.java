package dev.omem.store;

/**
 * A wake-up when another process may have appended to the change log, so that this node's index
 * follows it at once rather than at the next poll. Only a hint: a follower polls as well, since a
 * wake-up can be lost (a dropped connection) and some databases have none.
 */
public interface ChangeSignal extends AutoCloseable {
  /**
   * Whether other processes append to this store's change log (nodes of a cluster on one database):
   * then no node prunes the log by itself, and the index follows it by polling.
   */
  boolean shared();

  /** Calls {@code wake} on a thread of the signal's own after each change it hears of. */
  void onChange(Runnable wake);

  @Override
  void close();

  /** A store only this process writes (SQLite): its writes catch the index up themselves. */
  ChangeSignal LOCAL = new Silent(false);

  /** A shared store without wake-ups (LISTEN turned off, or a database without it): polling. */
  ChangeSignal POLLING = new Silent(true);

  /** A signal that never wakes anyone. */
  record Silent(boolean shared) implements ChangeSignal {
    @Override
    public void onChange(Runnable wake) {}

    @Override
    public void close() {}
  }
}
