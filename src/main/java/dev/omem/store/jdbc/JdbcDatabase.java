package dev.omem.store.jdbc;

/**
 * What a repository needs from a database, whichever it is: the shared {@code Jdbc*} repositories
 * run their SQL through it, so SQLite and PostgreSQL keep one copy of each.
 */
public interface JdbcDatabase {
  /**
   * Runs {@code work} in one write transaction; commits on return, rolls back on failure. Called
   * again from inside {@code work} on the same thread, it joins the transaction under way.
   */
  <T> T write(SqlWork<T> work);

  /** Runs {@code work} on a connection that sees every committed write. */
  <T> T read(SqlWork<T> work);

  /**
   * Runs {@code work}, a series of independent one-row updates (access counts): by default in one
   * transaction (SQLite: one fsync for all); a database of several writers commits each statement
   * on its own, so it holds no row lock beyond its own update and is never part of a lock cycle.
   */
  default <T> T eachStatement(SqlWork<T> work) {
    return write(work);
  }

  /**
   * Runs {@code work}; the commits it makes on this thread may be made durable only when it returns
   * (SQLite's group commit, {@code WalSync}), so that a lock released inside it is not held through
   * an fsync. By default each commit is durable at its end already (PostgreSQL).
   */
  default <T> T durableAfter(java.util.function.Supplier<T> work) {
    return work.get();
  }

  /** Returns once every commit made so far is durable (at once where each commit is). */
  default void durableNow() {}

  /** The SQL fragments in which this database differs. */
  SqlDialect dialect();
}
