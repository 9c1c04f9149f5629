package dev.omem.service;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import dev.omem.index.IndexSynchronizer;
import dev.omem.index.MemoryIndex;
import dev.omem.store.Backups;
import dev.omem.store.DataDirLock;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.Storage;
import dev.omem.store.sqlite.SqliteStorage;
import dev.omem.store.sqlite.StoreBackup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code omem restore}: a backup becomes the store of a data directory. In two steps, so that bad
 * input disturbs nothing: {@link #prepare} copies the file into the home and checks the copy (the
 * user's file is only read); {@link #apply}, under the store's lock, keeps the current store as a
 * backup, swaps the copy in, embeds and screens every restored memory from its own text ({@link
 * #embedAndScreen}: the backup's vectors and flags are not believed) and rebuilds the index from
 * the restored rows (the old index describes another store: it is wiped).
 */
public final class StoreRestore {
  /** How long a restore waits for its index to be rebuilt (10k memories: ~40 s here). */
  private static final Duration REBUILD_WAIT = Duration.ofMinutes(10);

  /** How long a restore waits for the model to embed with (loads in seconds here). */
  private static final Duration MODEL_WAIT = Duration.ofMinutes(2);

  private static final String PARTIAL = "omem.db.restoring";

  private StoreRestore() {}

  /** A checked copy of the backup, waiting in the home to be swapped in. */
  public record Prepared(Path copy, int schemaVersion) {}

  /**
   * What a restore did.
   *
   * @param memories rows in the restored store (deleted ones included), all indexed
   * @param schemaVersion the backup's schema version (migrated to this omem's on open)
   * @param previous the backup of the store it replaced, or null when there was none
   */
  public record Restored(long memories, int schemaVersion, String previous) {}

  /** Copies {@code file} into {@code home} (0600) and checks it; invalid input leaves no copy. */
  public static Prepared prepare(Path home, Path file) {
    StoreBackup.verify(file); // read-only: a clear refusal before copying anything
    Path copy = home.resolve(PARTIAL);
    try {
      Files.createDirectories(home);
      Files.deleteIfExists(copy);
      Files.createFile(copy);
      setOwnerOnly(copy);
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      return new Prepared(copy, StoreBackup.verify(copy));
    } catch (IOException e) {
      deleteQuietly(copy);
      throw new UncheckedIOException("cannot copy " + file + " into " + home, e);
    } catch (RuntimeException e) {
      deleteQuietly(copy);
      throw e;
    }
  }

  /**
   * Swaps the prepared copy in as {@code omem.db} of {@code config.home()} and rebuilds the index.
   * Needs the store to itself: fails while another process (a daemon) holds it.
   */
  public static Restored apply(OmemConfig config, Prepared p, Clock clock) {
    Path home = config.home();
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(home);
    } catch (RuntimeException e) {
      deleteQuietly(p.copy());
      throw e;
    }
    try {
      Path dbFile = home.resolve("omem.db");
      String previous = Files.exists(dbFile) ? keepCurrent(home, dbFile, clock) : null;
      for (String stale : new String[] {"omem.db-wal", "omem.db-shm", "omem.db-journal"}) {
        // A WAL left beside the restored file would be replayed into it: it belongs to the old one.
        Files.deleteIfExists(home.resolve(stale));
      }
      Files.move(p.copy(), dbFile, StandardCopyOption.REPLACE_EXISTING);
      embedAndScreen(home, config, clock.instant());
      try (Storage storage = SqliteStorage.open(home)) {
        MemoryRepository repo = storage.memories();
        Path indexDir = home.resolve("index");
        MemoryIndex.wipe(indexDir);
        try (IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir, config.model())) {
          // The wiped index is rebuilt from the stored vectors in the background: wait for it, so
          // the restored store is searchable from the index when this returns. Should it take
          // longer, the next open rebuilds again and searches answer from SQLite meanwhile.
          if (sync.awaitHealthy(REBUILD_WAIT)) {
            sync.catchUp();
          }
          return new Restored(sync.documents(), p.schemaVersion(), previous);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore into " + home, e);
    } finally {
      deleteQuietly(p.copy());
      lock.close();
    }
  }

  /**
   * What a restore believes of a backup: only what it cannot compute again. One way for both
   * restores ({@link #apply} and {@link DatabaseBackups#restore}, which stages the backup as a
   * store of its own first): the store in {@code dir} (a restore's copy, never the user's file)
   * loses its vectors, and every text is embedded again with the backfill's batch code (a doctored
   * backup could pair a text with an unrelated memory's vector: PoisonedDatabaseRestoreTest) and
   * screened again with the injection screen every write uses (a doctored backup could clear an
   * instruction's flag). The restore holds the store alone: no write lock to keep short. Without
   * the model (unknown, or not loaded in {@link #MODEL_WAIT}) the daemon's backfill embeds the
   * texts later and only the screen's rules run, which never clear a backup's flag.
   */
  static void embedAndScreen(Path dir, OmemConfig config, Instant now) {
    StoreBackup.forgetVectors(dir.resolve("omem.db"));
    Optional<ModelSpec> spec = ModelCatalog.byId(config.model());
    try (Storage storage = SqliteStorage.open(dir);
        EmbeddingProvider embeddings = spec.map(EmbeddingProvider::new).orElse(null)) {
      Optional<Embedder> model =
          embeddings == null ? Optional.empty() : embeddings.awaitReady(MODEL_WAIT);
      MemoryRepository repo = storage.memories();
      if (model.isPresent()) {
        while (EmbeddingBackfill.embedBatch(repo, model.get())) {
          // next batch
        }
      }
      checkAgain(repo, new TrustScreen(() -> model), model.isPresent(), now);
    }
  }

  /**
   * Every row made {@link RestoredMemory#believable} (as an omem file's memories are) and its flag
   * set to the screen's verdict on its text, with the vector just embedded from it; with the rules
   * alone ({@code whole} false) a flag is only ever added. Rows are rewritten in batches of {@link
   * Importer#BATCH}, only those that change.
   */
  private static void checkAgain(
      MemoryRepository repo, TrustScreen screen, boolean whole, Instant now) {
    screen.prepare();
    List<Memory> changed = new ArrayList<>();
    repo.forEachStored(
        row -> {
          Memory m = RestoredMemory.believable(row.memory(), now);
          Memory s = screen.screened(m, row.vector());
          if (s != m && !whole && !s.trust().flagged()) {
            s = m; // the rules alone found nothing: the backup's flag stays
          }
          if (s != row.memory()) {
            changed.add(s);
          }
        });
    for (int from = 0; from < changed.size(); from += Importer.BATCH) {
      MemoryWrite w = new MemoryWrite();
      changed.subList(from, Math.min(changed.size(), from + Importer.BATCH)).forEach(w::rewrite);
      repo.apply(w, null);
    }
  }

  /**
   * The store about to be replaced, kept in {@code backups/}: a snapshot when it opens, else its
   * raw files (a damaged store is often why one restores; it may still be worth reading).
   */
  private static String keepCurrent(Path home, Path dbFile, Clock clock) throws IOException {
    Backups backups = new Backups(home);
    backups.ensureDir();
    Path target = backups.nameFor(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
    try (Storage storage = SqliteStorage.open(home)) {
      storage.upkeep().backup(target);
    } catch (RuntimeException e) {
      Files.copy(dbFile, target);
      Path wal = home.resolve("omem.db-wal");
      if (Files.exists(wal)) {
        Files.copy(wal, Path.of(target + "-wal"));
      }
      setOwnerOnly(target);
    }
    return target.toString();
  }

  private static void setOwnerOnly(Path f) throws IOException {
    try {
      Files.setPosixFilePermissions(
          f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // no POSIX permissions on this file system
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // a stray copy is replaced by the next restore
    }
  }
}
