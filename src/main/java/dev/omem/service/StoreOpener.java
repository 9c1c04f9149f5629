package dev.omem.service;

import dev.omem.store.Coordination;
import dev.omem.store.Storage;
import dev.omem.store.postgres.PostgresCoordination;
import dev.omem.store.postgres.PostgresDatabase;
import dev.omem.store.postgres.PostgresStorage;
import dev.omem.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which store a data directory serves: the SQLite file in it, or, with {@code OMEM_DATABASE_URL}
 * ({@code postgresql://…}), a PostgreSQL database shared by every node of a cluster, each keeping
 * its own index in its own directory. {@code OMEM_LISTEN=off} makes the nodes poll the change log
 * without LISTEN/NOTIFY.
 */
final class StoreOpener {
  /** A store and its cluster coordination, opened together. */
  record Opened(Storage storage, Coordination coordination) {}

  private StoreOpener() {}

  static Opened open(Path home, Map<String, String> env) {
    String url = env.get("OMEM_DATABASE_URL");
    if (url == null || url.isBlank()) {
      return new Opened(SqliteStorage.open(home), Coordination.local());
    }
    PostgresDatabase db = PostgresDatabase.open(url.trim());
    try {
      boolean listen = !"off".equalsIgnoreCase(String.valueOf(env.get("OMEM_LISTEN")).trim());
      return new Opened(PostgresStorage.of(db), PostgresCoordination.open(db, listen));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }
}
