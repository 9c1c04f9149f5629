package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One validation of a store draft ({@link StoreDraft}) for store, storeAll and imports, and the
 * unique index's refusals answered as errors a person understands (real store, index and model).
 */
class OneStoreDraftTest {
  @TempDir Path home;
  private final Caller alpha = Caller.local("github.com/acme/alpha");
  private LocalMemoryService svc;

  @BeforeEach
  void open() {
    svc = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(svc.awaitModel(Duration.ofSeconds(120)));
  }

  @AfterEach
  void close() {
    svc.close();
  }

  @Test
  void aLongSourceIsTheSameErrorInStoreStoreAllAndImport() {
    String longSource = "s".repeat(Limits.MAX_SOURCE_CHARS + 1);
    String expected = "source must be at most " + Limits.MAX_SOURCE_CHARS + " characters";
    OmemException stored =
        assertThrows(
            OmemException.class,
            () ->
                svc.store(
                    alpha, new StoreRequest("Uses pnpm", null, longSource, null, null, null)));
    assertEquals(ErrorCode.VALIDATION, stored.code());
    assertEquals(expected, stored.getMessage());
    OmemException bulk =
        assertThrows(
            OmemException.class,
            () ->
                svc.storeAll(
                    alpha,
                    List.of(new StoreRequest("Uses pnpm", null, longSource, null, null, null))));
    assertEquals(expected, bulk.getMessage());

    // An import used to cut the source silently; now the item is refused with the same words and
    // the file's other items are stored as they are.
    String file =
        "{\"content\":\"Uses pnpm\",\"source\":\""
            + longSource
            + "\"}\n{\"content\":\"Uses vitest\",\"source\":\"notes.md\"}\n";
    ImportRecord r =
        svc.importFile(
            alpha,
            new ImportRequest("jsonl", file, "notes.jsonl", false, null, null),
            ImportProgress.NONE);
    assertEquals(1, r.imported(), r.toString());
    assertEquals(1, r.errors().size(), r.toString());
    assertEquals(0, r.errors().get(0).index());
    assertEquals(expected, r.errors().get(0).message());
    List<Memory> all = svc.list(alpha, ListRequest.firstPage()).memories();
    assertEquals(List.of("Uses vitest"), all.stream().map(Memory::content).toList());
    assertEquals("notes.md", all.get(0).source());
  }

  @Test
  void anEditThatWouldRepeatAnActiveTextIsAConflictAndChangesNothing() {
    Memory a = svc.store(alpha, StoreRequest.of("CI runs on GitHub Actions"));
    Memory b = svc.store(alpha, StoreRequest.of("Releases are tagged by the release bot"));
    OmemException e =
        assertThrows(
            OmemException.class,
            () ->
                svc.update(alpha, new UpdateRequest(b.id(), a.content(), null, null, null, null)));
    assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("already holds this text"), e.getMessage());
    assertEquals(b.content(), svc.get(alpha, b.id()).content(), "nothing of the edit stored");

    // Restoring a forgotten memory while its text is active again elsewhere: the same answer.
    svc.forget(alpha, a.id());
    Memory again = svc.store(alpha, StoreRequest.of(a.content()));
    assertTrue(!again.id().equals(a.id()), "a forgotten text is stored anew");
    OmemException restore =
        assertThrows(
            OmemException.class,
            () -> svc.update(alpha, new UpdateRequest(a.id(), null, null, null, null, "active")));
    assertEquals(ErrorCode.CONFLICT, restore.code());
    assertEquals(MemoryState.DELETED, svc.get(alpha, a.id()).state());
  }
}
