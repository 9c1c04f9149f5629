package dev.omem.store.postgres;

import dev.omem.store.Storage;
import dev.omem.store.StorageContract;
import dev.omem.testing.PostgresCluster;
import java.nio.file.Path;

/**
 * The storage contract on a real PostgreSQL: one database for the class, emptied before each test,
 * so every test starts from an empty store migrated from scratch.
 */
class PostgresStorageContractTest extends StorageContract {
  private static String url;

  @Override
  protected Storage open(Path dir) {
    PostgresCluster cluster = PostgresCluster.shared();
    if (url == null) {
      url = cluster.newDatabase("contract");
    } else {
      cluster.empty(url);
    }
    return PostgresStorage.open(url);
  }
}
