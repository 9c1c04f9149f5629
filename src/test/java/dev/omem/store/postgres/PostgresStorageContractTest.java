package dev.omem.store.postgres;

import dev.omem.store.Storage;
import dev.omem.store.StorageContract;
import dev.omem.testing.PostgresCluster;
import java.nio.file.Path;

/** The storage contract on a real PostgreSQL: a new database for each test. */
class PostgresStorageContractTest extends StorageContract {
  @Override
  protected Storage open(Path dir) {
    return PostgresStorage.open(PostgresCluster.shared().newDatabase("contract"));
  }
}
