package dev.omem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.ApiKey;
import dev.omem.domain.Category;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.domain.Tier;
import dev.omem.domain.Trust;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every storage implementation must do, through the interfaces only: SQLite runs it now
 * ({@code SqliteStorageContractTest}); another backend subclasses it with its own {@link #open}.
 */
public abstract class StorageContract {
  protected static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir protected Path dir;
  protected Storage storage;
  protected MemoryRepository memories;

  /** A new, empty store of the implementation under test in {@code dir}. */
  protected abstract Storage open(Path dir);

  @BeforeEach
  void openStore() {
    storage = open(dir);
    memories = storage.memories();
  }

  @AfterEach
  void closeStore() {
    storage.close();
  }

  protected static Memory memory(String id, String tenant, String content, Instant at) {
    return Memory.builder()
        .id(id)
        .tenantId(tenant)
        .spaceId("personal/" + tenant)
        .content(content)
        .category(Category.PREFERENCES)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.7)
        .tags(List.of("java", "build"))
        .scope("project:omem")
        .agentId("agent-1")
        .sessionId("s1")
        .source("test")
        .relations(Map.of("supports", List.of("m0")))
        .provenance(Map.of("k", "v"))
        .createdAt(at)
        .updatedAt(at)
        .trust(new Trust(false, "unconfirmed"))
        .build();
  }

  protected long insert(Memory m, float[] vector) {
    return memories.apply(
        new MemoryWrite().insert(new StoredMemory(m, vector, vector == null ? null : "model-a")),
        null);
  }

  // ---- memories ----

  @Test
  void aMemoryIsStoredAndReadBackFieldForField() {
    Memory m = memory("m1", "t1", "Use Gradle for builds", T0);
    insert(m, new float[] {0.6f, 0.8f});
    assertEquals(Optional.of(m), memories.find("t1", "m1"));
    assertEquals(Optional.empty(), memories.find("t2", "m1"), "another tenant sees nothing");
    StoredMemory s = memories.findStored(List.of("m1", "missing")).get("m1");
    assertEquals(m, s.memory());
    assertArrayEquals(new float[] {0.6f, 0.8f}, s.vector());
    assertEquals("model-a", s.model());
    assertEquals(1, memories.findStored(List.of("m1", "missing")).size());
  }

  @Test
  void aRewriteKeepsTheVectorUnlessTheContentChanged() {
    Memory m = memory("m1", "t1", "tabs", T0);
    insert(m, new float[] {1f, 0f});
    memories.apply(new MemoryWrite().rewrite(m.toBuilder().importance(0.9).build()), null);
    StoredMemory kept = memories.findStored(List.of("m1")).get("m1");
    assertEquals(0.9, kept.memory().importance());
    assertArrayEquals(new float[] {1f, 0f}, kept.vector());
    memories.apply(
        new MemoryWrite().rewrite(m.toBuilder().content("spaces").build(), true, null, null), null);
    StoredMemory changed = memories.findStored(List.of("m1")).get("m1");
    assertEquals("spaces", changed.memory().content());
    assertNull(changed.vector(), "new content waits for its vector");
    assertEquals(1, memories.countWithoutEmbedding("model-a"));
    assertEquals(Map.of("m1", "spaces"), memories.withoutEmbedding("model-a", 10));
    memories.setEmbedding("m1", "old text", new float[] {0f, 1f}, "model-a");
    assertNull(memories.findStored(List.of("m1")).get("m1").vector(), "stale content: ignored");
    memories.setEmbedding("m1", "spaces", new float[] {0f, 1f}, "model-a");
    assertArrayEquals(new float[] {0f, 1f}, memories.findStored(List.of("m1")).get("m1").vector());
    assertEquals(0, memories.countWithoutEmbedding("model-a"));
  }

  @Test
  void aRewriteOfAMissingMemoryFailsAndStoresNothing() {
    Memory ghost = memory("ghost", "t1", "never stored", T0);
    Memory fresh = memory("m1", "t1", "stored with it", T0);
    assertThrows(
        RuntimeException.class,
        () ->
            memories.apply(
                new MemoryWrite().insert(new StoredMemory(fresh, null, null)).rewrite(ghost),
                null));
    assertEquals(Optional.empty(), memories.find("t1", "m1"), "all or nothing");
    assertEquals(0, memories.lastSeq());
  }

  @Test
  void workJoinedToAWriteIsInItsTransaction() {
    storage
        .ingestTasks()
        .create(task("task1", "t1"), List.of(new IngestTaskRepository.TurnRow("user", "hi")));
    Memory m = memory("m1", "t1", "joined", T0);
    memories.apply(
        new MemoryWrite().insert(new StoredMemory(m, null, null)),
        () ->
            storage
                .ingestTasks()
                .recordStep("task1", new IngestTaskRepository.StepRow(0, "create", "m1", null)));
    assertEquals(
        List.of(new IngestTaskRepository.StepRow(0, "create", "m1", null)),
        storage.ingestTasks().steps("task1"));

    Memory lost = memory("m2", "t1", "rolled back", T0);
    assertThrows(
        IllegalStateException.class,
        () ->
            memories.apply(
                new MemoryWrite().insert(new StoredMemory(lost, null, null)),
                () -> {
                  storage
                      .ingestTasks()
                      .recordStep(
                          "task1", new IngestTaskRepository.StepRow(1, "create", "m2", null));
                  throw new IllegalStateException("the joined work fails");
                }));
    assertEquals(Optional.empty(), memories.find("t1", "m2"), "the memory is rolled back");
    assertEquals(1, storage.ingestTasks().steps("task1").size(), "and the step with it");
  }

  @Test
  void listFiltersSortsAndPages() {
    insert(memory("a", "t1", "alpha", T0), null);
    insert(
        memory("b", "t1", "beta", T0.plusSeconds(10)).toBuilder()
            .category(Category.CASES)
            .tags(List.of("python"))
            .scope("global")
            .importance(0.9)
            .build(),
        null);
    insert(
        memory("c", "t1", "gamma", T0.plusSeconds(20)).toBuilder()
            .state(MemoryState.ARCHIVED)
            .build(),
        null);
    insert(memory("d", "t2", "other tenant", T0), null);

    MemoryPage all = memories.list(MemoryFilter.activeOf("t1"), ListSort.CREATED_AT, true, 10, 0);
    assertEquals(List.of("a", "b"), ids(all.memories()));
    assertEquals(2, all.totalCount());
    MemoryPage kept = memories.list(MemoryFilter.keptOf("t1"), ListSort.CREATED_AT, false, 2, 1);
    assertEquals(List.of("b", "a"), ids(kept.memories()), "newest first, one skipped");
    assertEquals(3, kept.totalCount());
    assertEquals(
        List.of("b", "a"),
        ids(
            memories
                .list(MemoryFilter.activeOf("t1"), ListSort.IMPORTANCE, false, 10, 0)
                .memories()));

    MemoryFilter python = MemoryFilter.builder("t1").tags(List.of("python")).build();
    assertEquals(List.of("b"), ids(page(python)));
    MemoryFilter cases = MemoryFilter.builder("t1").categories(Set.of(Category.CASES)).build();
    assertEquals(List.of("b"), ids(page(cases)));
    MemoryFilter project = MemoryFilter.builder("t1").scopes(Set.of("project:omem")).build();
    assertEquals(List.of("a"), ids(page(project)));
    MemoryFilter since = MemoryFilter.builder("t1").createdAfter(T0.plusSeconds(5)).build();
    assertEquals(List.of("b"), ids(page(since)));
    MemoryFilter agent = MemoryFilter.builder("t1").agentId("nobody").build();
    assertEquals(List.of(), ids(page(agent)));

    List<String> streamed = new ArrayList<>();
    memories.forEachStored(python, s -> streamed.add(s.memory().id()));
    assertEquals(List.of("b"), streamed);
    List<String> everything = new ArrayList<>();
    memories.forEachStored(s -> everything.add(s.memory().id()));
    assertEquals(Set.of("a", "b", "c", "d"), Set.copyOf(everything));
    assertEquals(List.of("a", "b"), ids(memories.active("t1")));
    assertEquals(3, memories.active(null).size());
  }

  @Test
  void duplicatesCopiesAccessAndLifecycle() {
    Memory a = memory("a", "t1", "Use Gradle for builds", T0);
    insert(a, null);
    assertEquals(
        Optional.of("a"),
        memories
            .findActiveDuplicate("t1", "project:omem", "use  gradle for builds.")
            .map(Memory::id));
    assertEquals(Optional.empty(), memories.findActiveDuplicate("t1", "global", a.content()));
    assertEquals(
        Optional.empty(), memories.findActiveDuplicate("t1", null, a.content()), "no scope");

    Memory copy =
        memory("copy", "team/x", a.content(), T0).toBuilder()
            .provenance(Map.of("shared_from_memory", "a"))
            .build();
    insert(copy, null);
    assertEquals(Optional.of("copy"), memories.findCopy("team/x", "a").map(Memory::id));
    assertEquals(Optional.empty(), memories.findCopy("t1", "a"));

    memories.recordAccess("t1", List.of("a"), T0.plusSeconds(60));
    memories.recordAccess("t2", List.of("a"), T0.plusSeconds(60)); // not t2's: no effect
    Memory accessed = memories.find("t1", "a").orElseThrow();
    assertEquals(1, accessed.accessCount());
    assertEquals(T0.plusSeconds(60), accessed.lastAccessedAt());

    Memory archived = a.toBuilder().tier(Tier.CORE).state(MemoryState.ARCHIVED).version(2).build();
    HistoryEntry step =
        new HistoryEntry(HistoryEntry.Action.ARCHIVED, T0, null, null, null, null, "x");
    memories.updateLifecycle(
        List.of(archived), List.of(new MemoryWrite.HistoryRow("a", "t1", step)));
    Memory after = memories.find("t1", "a").orElseThrow();
    assertEquals(MemoryState.ARCHIVED, after.state());
    assertEquals(Tier.CORE, after.tier());
    assertEquals(1, after.accessCount(), "the access counted meanwhile is kept");
    assertEquals(List.of(step), storage.history().of("t1", "a"));
  }

  @Test
  void hasSupersededSeesASuccessorInAnyStateOfThatTenantOnly() {
    insert(memory("a", "t1", "Use pnpm", T0), null);
    assertFalse(memories.hasSuperseded("t1"), "nothing names a successor yet");
    insert(memory("b", "t2", "Use bun", T0), null);
    Memory old = memory("c", "t2", "Use yarn", T0);
    insert(old, null);
    memories.apply(
        new MemoryWrite()
            .rewrite(old.toBuilder().state(MemoryState.ARCHIVED).supersededBy("b").build()),
        null);
    assertTrue(memories.hasSuperseded("t2"));
    assertFalse(memories.hasSuperseded("t1"), "another tenant's successor is not this one's");
    // A deleted or restored memory that still names its successor counts too: the search's
    // look-up filters on superseded_by alone, so skipping it here could skip a real case.
    memories.apply(
        new MemoryWrite()
            .rewrite(old.toBuilder().state(MemoryState.DELETED).supersededBy("b").build()),
        null);
    assertTrue(memories.hasSuperseded("t2"));
    memories.apply(
        new MemoryWrite()
            .rewrite(old.toBuilder().state(MemoryState.ACTIVE).supersededBy(null).build()),
        null);
    assertFalse(memories.hasSuperseded("t2"), "the successor cleared: none left");
  }

  @Test
  void supersededVectorsAreTheTenantsSuccessorNamingRowsWithAVector() {
    insert(memory("a", "t1", "Use pnpm", T0), new float[] {1f, 0f});
    insert(memory("b", "t2", "Use bun", T0), new float[] {0f, 1f});
    assertEquals(List.of(), memories.supersededVectors("t2", 4), "nothing names a successor");
    Memory old = memory("c", "t2", "Use yarn", T0);
    insert(old, new float[] {0.6f, 0.8f});
    Memory unembedded = memory("d", "t2", "Use npm", T0);
    insert(unembedded, null);
    Memory a = memories.find("t1", "a").orElseThrow();
    memories.apply(
        new MemoryWrite()
            .rewrite(old.toBuilder().state(MemoryState.ARCHIVED).supersededBy("b").build())
            .rewrite(unembedded.toBuilder().state(MemoryState.ARCHIVED).supersededBy("b").build())
            .rewrite(a.toBuilder().state(MemoryState.DELETED).supersededBy("x").build()),
        null);
    List<float[]> v = memories.supersededVectors("t2", 4);
    assertEquals(1, v.size(), "the row without a vector is left out");
    assertArrayEquals(new float[] {0.6f, 0.8f}, v.get(0));
    assertEquals(1, memories.supersededVectors("t1", 4).size(), "a deleted one counts too");
    assertNull(memories.supersededVectors("t2", 0), "more than the most asked for");
  }

  // ---- change log, history, neighbours, statistics, meta ----

  @Test
  void everyWriteAppendsToTheChangeLogInOrder() {
    assertEquals(0, memories.lastSeq());
    long s1 = insert(memory("a", "t1", "one", T0), null);
    long s2 = insert(memory("b", "t1", "two", T0), null);
    long s3 =
        memories.apply(
            new MemoryWrite().rewrite(memory("a", "t1", "one, again", T0), true, null, null), null);
    assertTrue(s1 > 0 && s2 > s1 && s3 > s2, s1 + " " + s2 + " " + s3);
    assertEquals(s3, memories.lastSeq());
    assertEquals(
        List.of(new Change(s1, "a"), new Change(s2, "b"), new Change(s3, "a")),
        memories.changesAfter(0, 10).stream().map(Change::bare).toList());
    assertEquals(
        List.of(new Change(s2, "b")),
        memories.changesAfter(s1, 1).stream().map(Change::bare).toList());
    memories.pruneChangesThrough(s2);
    assertEquals(
        List.of(new Change(s3, "a")),
        memories.changesAfter(0, 10).stream().map(Change::bare).toList());
    assertEquals(s3, memories.lastSeq());
    long s4 = insert(memory("c", "t1", "three", T0), null);
    assertTrue(s4 > s3, "seq never goes back after a prune");
  }

  @Test
  void historyIsKeptPerMemoryInOrder() {
    Memory m = memory("a", "t1", "one", T0);
    HistoryEntry created =
        new HistoryEntry(HistoryEntry.Action.CREATED, T0, "s1", "agent-1", "test", null, null);
    HistoryEntry updated =
        new HistoryEntry(
            HistoryEntry.Action.UPDATED, T0.plusSeconds(5), null, null, null, "b", "n");
    memories.apply(
        new MemoryWrite().insert(new StoredMemory(m, null, null)).history(m, created), null);
    memories.apply(new MemoryWrite().rewrite(m).history(m, updated), null);
    assertEquals(List.of(created, updated), storage.history().of("t1", "a"));
    assertEquals(List.of(), storage.history().of("t2", "a"), "another tenant's view is empty");

    storage.imports().replaceHistory("t1", "a", List.of(updated));
    assertEquals(List.of(updated), storage.history().of("t1", "a"));
  }

  @Test
  void sessionNeighboursFollowStorageOrder() {
    insert(memory("a", "t1", "first", T0), null);
    insert(memory("b", "t1", "second", T0), null);
    insert(memory("x", "t1", "other session", T0).toBuilder().sessionId("s2").build(), null);
    insert(memory("c", "t1", "third", T0), null);
    assertEquals(
        Map.of("a", "b", "b", "c"), memories.neighbours("t1", List.of("a", "b", "c"), true));
    assertEquals(
        Map.of("b", "a", "c", "b"), memories.neighbours("t1", List.of("a", "b", "c"), false));
    assertEquals(Map.of(), memories.neighbours("t2", List.of("a"), true));
  }

  @Test
  void statisticsCountTheTenantsMemories() {
    insert(memory("a", "t1", "one", T0).toBuilder().importance(0.2).build(), null);
    insert(
        memory("b", "t1", "two", T0.plusSeconds(86_400)).toBuilder().importance(0.8).build(), null);
    insert(memory("c", "t1", "three", T0).toBuilder().state(MemoryState.DELETED).build(), null);
    insert(memory("d", "t2", "four", T0), null);
    assertEquals(4, memories.countAll());
    assertEquals(
        Map.of("active", 2L, "deleted", 1L),
        memories.countBy("t1", MemoryStatistics.Field.STATE, true));
    assertEquals(
        Map.of("preferences", 2L), memories.countBy("t1", MemoryStatistics.Field.CATEGORY, false));
    assertEquals(0.5, memories.aggregate("t1", MemoryStatistics.Aggregate.AVG_IMPORTANCE), 1e-9);
    assertEquals(0, memories.aggregate("t3", MemoryStatistics.Aggregate.SUM_ACCESS_COUNT));
    assertEquals(
        Map.of("2026-11-20", 1L, "2026-11-21", 1L),
        memories.createdPerDay("t1", T0.minusSeconds(1)));
  }

  @Test
  void metaKeepsValuesAndSetsOnlyOnceWhenAsked() {
    assertEquals(Optional.empty(), memories.meta("k"));
    assertEquals("first", memories.metaIfAbsent("k", "first"));
    assertEquals("first", memories.metaIfAbsent("k", "second"));
    memories.putMeta("k", "third");
    assertEquals(Optional.of("third"), memories.meta("k"));
    memories.putAllMeta(Map.of("a", "1", "b", "2"));
    assertEquals(Optional.of("2"), memories.meta("b"));
  }

  // ---- spaces, invitations, tenants ----

  @Test
  void spacesMembersAndRules() {
    SpaceRepository spaces = storage.spaces();
    Space s =
        new Space(
            "team/x",
            SpaceType.TEAM,
            "Team X",
            "alice",
            List.of(new Space.Member("alice", SpaceRole.ADMIN, T0)),
            null,
            T0,
            T0);
    spaces.insert(s);
    assertEquals(Optional.of(s), spaces.find("team/x"));
    spaces.putMember("team/x", new Space.Member("bob", SpaceRole.READER, T0));
    spaces.putMember("team/x", new Space.Member("bob", SpaceRole.MEMBER, T0));
    assertEquals(SpaceRole.MEMBER, spaces.find("team/x").orElseThrow().roleOf("bob"));
    assertEquals(List.of("team/x"), spaces.spacesOf("bob").stream().map(Space::id).toList());
    assertTrue(spaces.removeMember("team/x", "bob"));
    assertFalse(spaces.removeMember("team/x", "bob"));
    assertEquals(List.of(), spaces.spacesOf("bob"));
    spaces.rename("team/x", "Team Y", T0.plusSeconds(1));
    assertEquals("Team Y", spaces.find("team/x").orElseThrow().name());
    spaces.delete("team/x");
    assertEquals(Optional.empty(), spaces.find("team/x"));
  }

  @Test
  void anAcceptedInvitationMakesAMember() {
    storage
        .spaces()
        .insert(
            new Space(
                "team/x",
                SpaceType.TEAM,
                "Team X",
                "alice",
                List.of(new Space.Member("alice", SpaceRole.ADMIN, T0)),
                null,
                T0,
                T0));
    InvitationRepository invitations = storage.invitations();
    invitations.put("inv1", "team/x", "bob", SpaceRole.READER, "alice", T0);
    invitations.put("inv2", "team/x", "bob", SpaceRole.MEMBER, "alice", T0); // changes the role
    Invitation i = invitations.find("team/x", "bob").orElseThrow();
    assertEquals("inv1", i.id(), "the pending invitation keeps its id");
    assertEquals(List.of(i), invitations.forUser("bob"));
    assertEquals(List.of(i), invitations.ofSpace("team/x"));
    assertTrue(invitations.accept(i, T0.plusSeconds(1)));
    assertFalse(invitations.accept(i, T0.plusSeconds(2)), "gone once accepted");
    assertEquals(SpaceRole.MEMBER, storage.spaces().find("team/x").orElseThrow().roleOf("bob"));
    assertEquals(Optional.empty(), invitations.find("inv1"));
  }

  @Test
  void tenantsExistOnceInserted() {
    assertFalse(storage.tenants().exists("t1"));
    storage.tenants().insert("t1", "Alice", T0);
    assertTrue(storage.tenants().exists("t1"));
    assertThrows(RuntimeException.class, () -> storage.tenants().insert("t1", "again", T0));
  }

  @Test
  void keysAreFoundByHashAndTheLastOneStays() {
    storage.tenants().insert("t1", "Alice", T0);
    KeyRepository keys = storage.keys();
    ApiKey first = new ApiKey("k1", "default", "omem_aaaa", T0, null, null, null);
    ApiKey second = new ApiKey("k2", "ci", "omem_bbbb", T0, null, null, null);
    assertEquals(KeyRepository.Outcome.DONE, keys.insert("t1", first, "hash-1", 2));
    assertEquals(
        KeyRepository.Outcome.NAME_TAKEN,
        keys.insert("t1", new ApiKey("k3", "default", "omem_c", T0, null, null, null), "h3", 2));
    assertEquals(KeyRepository.Outcome.DONE, keys.insert("t1", second, "hash-2", 2));
    assertEquals(
        KeyRepository.Outcome.TOO_MANY,
        keys.insert("t1", new ApiKey("k4", "x", "omem_d", T0, null, null, null), "h4", 2));
    assertEquals(Optional.of("t1"), keys.findActive("hash-1").map(KeyRepository.Holder::tenantId));
    assertEquals(
        KeyRepository.Outcome.DONE,
        keys.rotate("t1", "k1", "hash-1b", "omem_a2", T0.plusSeconds(1)));
    assertEquals(Optional.empty(), keys.findActive("hash-1"), "the old secret stops at once");
    assertEquals(Optional.of("k1"), keys.findActive("hash-1b").map(KeyRepository.Holder::keyId));
    assertEquals(KeyRepository.Outcome.NOT_FOUND, keys.revoke("t2", "k1", T0), "not t2's key");
    assertEquals(KeyRepository.Outcome.DONE, keys.revoke("t1", "k2", T0.plusSeconds(2)));
    assertEquals(KeyRepository.Outcome.LAST_KEY, keys.revoke("t1", "k1", T0.plusSeconds(3)));
    assertEquals(List.of("k1", "k2"), keys.list("t1").stream().map(ApiKey::id).toList());
    assertTrue(keys.find("t1", "k2").orElseThrow().revoked());
  }

  // ---- ingest tasks, imports, hook state, idempotency ----

  protected static IngestTaskRepository.TaskRow task(String id, String tenant) {
    return new IngestTaskRepository.TaskRow(
        id, tenant, "pending", "smart", "agent-1", "s1", "omem", null, null, 0, T0, T0);
  }

  @Test
  void anIngestTaskIsClaimedOnceUntilItsLeaseRunsOut() {
    IngestTaskRepository tasks = storage.ingestTasks();
    tasks.create(task("a", "t1"), List.of());
    tasks.create(task("b", "t1"), List.of());
    Instant now = T0.plusSeconds(10);
    Instant lease = now.plusSeconds(60);
    assertEquals("a", tasks.claim("node1", now, lease).orElseThrow().id(), "oldest first");
    IngestTaskRepository.TaskRow b = tasks.claim("node2", now, lease).orElseThrow();
    assertEquals("b", b.id());
    assertEquals("running", b.status());
    assertEquals(1, b.attempts());
    assertEquals(Optional.empty(), tasks.claim("node3", now, lease), "both are leased");
    assertTrue(tasks.renewLease("a", "node1", lease.plusSeconds(60)));
    assertFalse(tasks.renewLease("a", "node2", lease.plusSeconds(60)), "not node2's lease");
    tasks.finish("b", "done", null, now);
    // node1's lease on a ran out: a third node takes it; b is done and never claimed again.
    Instant later = lease.plusSeconds(61);
    IngestTaskRepository.TaskRow again = tasks.claim("node3", later, later.plusSeconds(60)).get();
    assertEquals("a", again.id());
    assertEquals(2, again.attempts());
    assertFalse(tasks.renewLease("a", "node1", later.plusSeconds(120)), "node1 lost it");
    assertEquals(Optional.empty(), tasks.claim("node1", later, later.plusSeconds(60)));
  }

  @Test
  void ingestTasksRunToTheirEnd() {
    IngestTaskRepository tasks = storage.ingestTasks();
    List<IngestTaskRepository.TurnRow> turns =
        List.of(
            new IngestTaskRepository.TurnRow("user", "use tabs"),
            new IngestTaskRepository.TurnRow("assistant", "ok"));
    tasks.create(task("a", "t1"), turns);
    tasks.create(task("b", "t1"), List.of());
    assertEquals(List.of("a", "b"), tasks.unfinished());
    assertEquals(turns, tasks.turns("a"));
    tasks.start("a", T0.plusSeconds(1));
    tasks.saveFacts("a", "[\"use tabs\"]", T0.plusSeconds(2));
    IngestTaskRepository.TaskRow running = tasks.find("t1", "a").orElseThrow();
    assertEquals("running", running.status());
    assertEquals(1, running.attempts());
    assertEquals("[\"use tabs\"]", running.factsJson());
    assertEquals(Optional.empty(), tasks.find("t2", "a"), "another tenant's task is hidden");
    tasks.finish("a", "done", null, T0.plusSeconds(3));
    tasks.finish("b", "failed", "no model", T0.plusSeconds(3));
    assertEquals(List.of(), tasks.unfinished());
    assertEquals("no model", tasks.get("b").orElseThrow().error());
  }

  @Test
  void importsRecordProgressItemsAndWhatIsStored() {
    ImportRepository imports = storage.imports();
    ImportRepository.ImportRow row =
        new ImportRepository.ImportRow(
            "i1", "t1", "omem", "x.json", "auto", "running", 2, 0, 0, 0, "[]", null, T0, T0);
    imports.create(row);
    Memory m = memory("a", "t1", "Use Gradle", T0);
    ImportRepository.ImportRow done =
        new ImportRepository.ImportRow(
            "i1", "t1", "omem", "x.json", "auto", "done", 2, 2, 1, 1, "[]", null, T0, T0);
    memories.apply(
        new MemoryWrite().insert(new StoredMemory(m, null, null)),
        () -> {
          imports.addItems("i1", List.of("a"));
          imports.update(done);
        });
    assertEquals(Optional.of(done), imports.find("t1", "i1"));
    assertEquals(List.of(done), imports.list("t1", 10));
    assertEquals(List.of("a"), imports.items("i1"));
    assertEquals(
        Set.of(ContentHash.of("Use Gradle")),
        imports.existingHashes("t1", List.of(ContentHash.of("Use Gradle"), "nope")));
    assertEquals(Set.of("a"), imports.existingIds(List.of("a", "b")));

    imports.create(
        new ImportRepository.ImportRow(
            "i2", "t1", "omem", "y.json", "auto", "running", 1, 0, 0, 0, "[]", null, T0, T0));
    assertEquals(1, imports.failRunning(T0.plusSeconds(9)));
    assertEquals("failed", imports.find("t1", "i2").orElseThrow().status());
  }

  @Test
  void hookStateIsPerSession() {
    HookStateRepository hooks = storage.hookState();
    assertTrue(hooks.offset("t1", "s1", "/t.jsonl").isEmpty());
    hooks.saveOffset("t1", "s1", "/t.jsonl", 120, T0);
    hooks.saveOffset("t1", "s1", "/t.jsonl", 240, T0);
    assertEquals(240, hooks.offset("t1", "s1", "/t.jsonl").getAsLong());
    assertTrue(hooks.offset("t2", "s1", "/t.jsonl").isEmpty());
    hooks.addInjected("t1", "s1", List.of("k1", "k2"), T0);
    hooks.addInjected("t1", "s1", List.of("k2", "k3"), T0);
    assertEquals(Set.of("k1", "k2", "k3"), hooks.injected("t1", "s1"));
    assertEquals(Set.of(), hooks.injected("t1", "s2"));
    assertTrue(hooks.pruneBefore(T0.plusSeconds(1)) > 0);
    assertEquals(Set.of(), hooks.injected("t1", "s1"));
  }

  @Test
  void idempotentAnswersAreKeptPerOwner() {
    IdempotencyRepository keys = storage.idempotency();
    IdempotencyRepository.Answer a =
        new IdempotencyRepository.Answer("POST /v1/memories", 201, "{\"id\":1}".getBytes());
    keys.put("t1", "k", a, T0);
    IdempotencyRepository.Answer back = keys.find("t1", "k").orElseThrow();
    assertEquals(201, back.status());
    assertArrayEquals(a.body(), back.body());
    assertEquals(Optional.empty(), keys.find("t2", "k"));
    assertEquals(1, keys.purgeBefore(T0.plusSeconds(1)));
    assertEquals(Optional.empty(), keys.find("t1", "k"));
  }

  @Test
  void theStoreSaysWhereItIs() {
    assertNotNull(storage.upkeep().location());
    assertTrue(storage.upkeep().schemaVersion() > 0);
  }

  private MemoryPage pageOf(MemoryFilter f) {
    return memories.list(f, ListSort.CREATED_AT, true, 10, 0);
  }

  private List<Memory> page(MemoryFilter f) {
    return pageOf(f).memories();
  }

  private static List<String> ids(List<Memory> ms) {
    return ms.stream().map(Memory::id).toList();
  }
}
