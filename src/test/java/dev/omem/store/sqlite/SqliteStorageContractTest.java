package dev.omem.store.sqlite;

import dev.omem.store.Storage;
import dev.omem.store.StorageContract;
import java.nio.file.Path;

/** The storage contract on a real {@code omem.db}. */
class SqliteStorageContractTest extends StorageContract {
  @Override
  protected Storage open(Path dir) {
    return SqliteStorage.open(dir);
  }
}
