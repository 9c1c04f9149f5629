package dev.omem.service;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The one interface every face calls (DESIGN.md "Layers"). Bad input fails with an {@link
 * dev.omem.domain.OmemException} of kind {@code VALIDATION} or {@code NOT_FOUND} and changes
 * nothing.
 */
public interface MemoryService extends AutoCloseable {

  Memory store(Caller caller, StoreRequest req);

  SearchOutcome search(Caller caller, SearchRequest req);

  Memory get(Caller caller, String id);

  /**
   * A memory as it is, for a person looking at it (the web UI): unlike {@link #get}, neither
   * confirms a candidate nor counts an access. A service without its own falls back to get.
   */
  default Memory peek(Caller caller, String id) {
    return get(caller, id);
  }

  Memory update(Caller caller, UpdateRequest req);

  /** Soft-deletes: the memory's state becomes {@code deleted} and it leaves search. */
  ForgetResult forget(Caller caller, String id);

  MemoryPage list(Caller caller, ListRequest req);

  /** Soft-deletes the listed memories, or those a confirmed filter matches. */
  BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest req);

  /** Soft-deletes every memory of the caller's tenant; returns how many. */
  long deleteAll(Caller caller);

  /**
   * Logs the messages and queues their extraction; returns at once with the task. The task's
   * outcome: {@link #task}, or {@link #awaitTask} to wait for it.
   */
  IngestResult ingest(Caller caller, IngestRequest req);

  /**
   * {@link #ingest} applied at most once per {@code idempotencyKey}: a remote service sends the key
   * as {@code Idempotency-Key}, so a capture resent from the hooks' queue after a lost answer is
   * not ingested twice. In-process there is no answer to lose: the key is not needed.
   */
  default IngestResult ingest(Caller caller, IngestRequest req, String idempotencyKey) {
    return ingest(caller, req);
  }

  /** An ingest task of the caller's tenant: its status and each fact's decision. */
  IngestTask task(Caller caller, String taskId);

  /** Waits up to {@code max} for the task to finish; returns it as it then is. */
  IngestTask awaitTask(Caller caller, String taskId, java.time.Duration max);

  /** A memory's history, oldest step first (every write, reconciliation and lifecycle move). */
  java.util.List<dev.omem.domain.HistoryEntry> history(Caller caller, String id);

  Profile profile(Caller caller);

  /** ourmem's stats object: total, by_type, by_category, ... */
  Map<String, Object> stats(Caller caller);

  /**
   * One of ourmem's stats views ({@code config}, {@code tags}, {@code decay}, {@code relations},
   * {@code spaces}, {@code sharing}, {@code agents}) over every space the caller reads; another
   * name is NOT_FOUND.
   */
  default Map<String, Object> statsView(Caller caller, String view, StatsQuery q) {
    throw OmemException.invalid("this service has no stats views");
  }

  /**
   * The id of the caller's memory that an Open Memory Protocol id ({@code mem_} + 16 characters)
   * names; NOT_FOUND when none.
   */
  default String ompMemoryId(Caller caller, String ompId) {
    throw OmemException.invalid("this service does not resolve OMP ids");
  }

  /**
   * The caller's top tags and the decay curve of its store (the web UI's charts). A service without
   * one answers empty charts.
   */
  default StoreShape shape(Caller caller) {
    return new StoreShape(Map.of(), List.of());
  }

  /**
   * The memories the hooks showed the caller's agent sessions lately, newest first. Hooks record
   * this where they run, next to a local store; a service without that record answers none.
   */
  default List<HookInjection> recentInjections(Caller caller, int limit) {
    return List.of();
  }

  /** Health facts for {@code omem doctor}: data dir, schema, model, index lag, counts. */
  Map<String, Object> health();

  /**
   * Counts one access for each of these memories of the caller's (the hooks' injections). A remote
   * service counts what its own server answers, so by default this does nothing.
   */
  default void recordAccess(Caller caller, java.util.List<String> ids) {}

  /**
   * One lifecycle pass over the caller's memories: tiers promoted and demoted, expired memories
   * archived.
   */
  default DecayResult decay(Caller caller) {
    throw OmemException.invalid("this service does not run decay passes");
  }

  /**
   * A consistent snapshot of the whole store, for the machine's owner only: into {@code file} (an
   * absolute path that must not exist) or, when null, into the store's {@code backups/} directory.
   */
  default BackupInfo backup(Caller caller, String file) {
    throw OmemException.invalid("this service does not take backups");
  }

  // ---- spaces and sharing (docs/rest-api.md "Spaces and sharing") ----

  /** Creates a team or organization space with the caller as its admin. */
  Space createSpace(Caller caller, SpaceRequest req);

  /** The caller's personal space first, then every space it is a member of. */
  List<Space> spaces(Caller caller);

  /** A space the caller is a member of; NOT_FOUND otherwise. */
  Space space(Caller caller, String spaceId);

  /** Renames a space (admins only). */
  Space renameSpace(Caller caller, String spaceId, String name);

  /** Deletes a space (admins only) and soft-deletes its memories. */
  void deleteSpace(Caller caller, String spaceId);

  /** Adds a member or changes its role (admins only); {@code userId} is a tenant id or a key. */
  Space putMember(Caller caller, String spaceId, String userId, String role);

  /** Removes a member (admins; anyone may remove themselves). */
  Space removeMember(Caller caller, String spaceId, String userId);

  /** The invitations waiting for the caller's answer (consent for membership, issue 12). */
  List<Invitation> invitations(Caller caller);

  /** The pending invitations of a space the caller administers. */
  List<Invitation> spaceInvitations(Caller caller, String spaceId);

  /** Accepts one of the caller's invitations; the caller is a member from now on. */
  Space acceptInvitation(Caller caller, String invitationId);

  /** Declines one of the caller's invitations. */
  void declineInvitation(Caller caller, String invitationId);

  /** Withdraws a pending invitation of a space the caller administers. */
  void revokeInvitation(Caller caller, String spaceId, String invitationId);

  AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest req);

  List<AutoShareRule> autoShareRules(Caller caller, String spaceId);

  void deleteAutoShareRule(Caller caller, String spaceId, String ruleId);

  /** Copies a memory the caller can read into a space it can write, with provenance. */
  ShareResults.Shared share(Caller caller, String memoryId, String targetSpace, String note);

  ShareResults.Batch batchShare(Caller caller, List<String> memoryIds, String targetSpace);

  /** Shares every active personal memory that passes the filters. */
  ShareResults.All shareAll(Caller caller, String targetSpace, ShareResults.Filters filters);

  /** Copies a memory of {@code sourceSpace} into the caller's personal space. */
  ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace);

  /** Removes the shared copies of a memory from a space. */
  ShareResults.Unshared unshare(Caller caller, String memoryId, String targetSpace);

  /** Shares into the team space bridging the caller and {@code targetUser}, made when needed. */
  ShareResults.ToUser shareToUser(Caller caller, String memoryId, String targetUser, String note);

  ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters);

  /**
   * Refreshes a shared copy from its source (ourmem's {@code reshare}); {@code targetSpace}, when
   * given, is the space the copy must be in. Not a shared copy: VALIDATION; source gone: NOT_FOUND.
   */
  default ShareResults.Shared reshare(Caller caller, String copyId, String targetSpace) {
    throw OmemException.invalid("this service does not reshare memories");
  }

  /**
   * The copies of a memory in the other spaces the caller can read (shared by hand or by an
   * auto-share rule), deleted ones left out. A service without the lookup answers none.
   */
  default List<Memory> sharedCopies(Caller caller, String memoryId) {
    return List.of();
  }

  /** Whether a shared copy's source moved on; null for a memory that is not a shared copy. */
  ShareResults.StaleInfo staleInfo(Caller caller, String memoryId);

  // ---- import and export (issue 7) ----

  /**
   * Writes the caller's memories as one file to {@code out}: omem JSON (every field, history and
   * vectors), OMP or Markdown. Active and archived memories, never deleted ones. The file is
   * written memory by memory, never held whole (an export of 100k memories is far larger than a
   * small heap); a bad request fails before anything is written.
   */
  ExportResult export(Caller caller, ExportRequest req, Writer out);

  /**
   * Imports a file and returns when it is done; {@code progress} hears of each committed batch. A
   * file that cannot be read at all (unknown file_type, malformed JSON) fails with a validation
   * error and stores nothing; an item that cannot be read is an error entry of the record.
   */
  ImportRecord importFile(Caller caller, ImportRequest req, ImportProgress progress);

  /**
   * Starts an import and returns its record at once (status {@code running} unless it finished
   * already); {@link #importRecord} shows its progress. The file is read before this returns, so an
   * unreadable one fails here as in {@link #importFile}.
   */
  ImportRecord startImport(Caller caller, ImportRequest req);

  /** The caller's imports, newest first. */
  List<ImportRecord> imports(Caller caller);

  /** One import of the caller's tenant; another tenant's id is not found. */
  ImportRecord importRecord(Caller caller, String id);

  /**
   * Soft-deletes exactly the memories the import created (state deleted, a history step each) and
   * marks it {@code rolled_back}; a second rollback, or one of a running import, is a conflict.
   */
  ImportRecord rollbackImport(Caller caller, String id);

  @Override
  void close();
}
