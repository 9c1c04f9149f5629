package dev.omem.store;

/**
 * Every repository of one store, made in one place by its implementation's factory ({@code
 * SqliteStorage.open}); the service and the engine see only these interfaces.
 */
public record Storage(
    MemoryRepository memories,
    HistoryRepository history,
    SpaceRepository spaces,
    InvitationRepository invitations,
    TenantRepository tenants,
    KeyRepository keys,
    IngestTaskRepository ingestTasks,
    ImportRepository imports,
    HookStateRepository hookState,
    IdempotencyRepository idempotency,
    StoreUpkeep upkeep)
    implements AutoCloseable {
  @Override
  public void close() {
    upkeep.close();
  }
}
