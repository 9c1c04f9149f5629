package dev.omem.cli;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Invitation;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.Space;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.BackupInfo;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.BatchDeleteResult;
import dev.omem.service.Caller;
import dev.omem.service.DecayResult;
import dev.omem.service.ExportRequest;
import dev.omem.service.ExportResult;
import dev.omem.service.ForgetResult;
import dev.omem.service.ImportProgress;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.ListRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link MemoryService} that hands every call to the service {@link #with} picks, for a wrapper
 * that does something around each call ({@link IdleReleasingService}). A call the wrapped service
 * adds is forwarded here once, and every wrapper has it.
 */
abstract class ForwardingMemoryService implements MemoryService {
  /** Runs {@code call} on the service that answers now. */
  protected abstract <T> T with(Function<MemoryService, T> call);

  private void run(Consumer<MemoryService> call) {
    with(
        s -> {
          call.accept(s);
          return null;
        });
  }

  @Override
  public Memory store(Caller caller, StoreRequest req) {
    return with(s -> s.store(caller, req));
  }

  @Override
  public SearchOutcome search(Caller caller, SearchRequest req) {
    return with(s -> s.search(caller, req));
  }

  @Override
  public Memory get(Caller caller, String id) {
    return with(s -> s.get(caller, id));
  }

  @Override
  public Memory update(Caller caller, UpdateRequest req) {
    return with(s -> s.update(caller, req));
  }

  @Override
  public ForgetResult forget(Caller caller, String id) {
    return with(s -> s.forget(caller, id));
  }

  @Override
  public MemoryPage list(Caller caller, ListRequest req) {
    return with(s -> s.list(caller, req));
  }

  @Override
  public BatchDeleteResult batchDelete(Caller caller, BatchDeleteRequest req) {
    return with(s -> s.batchDelete(caller, req));
  }

  @Override
  public long deleteAll(Caller caller) {
    return with(s -> s.deleteAll(caller));
  }

  @Override
  public IngestResult ingest(Caller caller, IngestRequest req) {
    return with(s -> s.ingest(caller, req));
  }

  @Override
  public IngestResult ingest(Caller caller, IngestRequest req, String idempotencyKey) {
    return with(s -> s.ingest(caller, req, idempotencyKey));
  }

  @Override
  public IngestTask task(Caller caller, String taskId) {
    return with(s -> s.task(caller, taskId));
  }

  @Override
  public IngestTask awaitTask(Caller caller, String taskId, Duration max) {
    return with(s -> s.awaitTask(caller, taskId, max));
  }

  @Override
  public List<HistoryEntry> history(Caller caller, String id) {
    return with(s -> s.history(caller, id));
  }

  @Override
  public Profile profile(Caller caller) {
    return with(s -> s.profile(caller));
  }

  @Override
  public Map<String, Object> stats(Caller caller) {
    return with(s -> s.stats(caller));
  }

  @Override
  public Map<String, Object> health() {
    return with(MemoryService::health);
  }

  @Override
  public void recordAccess(Caller caller, List<String> ids) {
    run(s -> s.recordAccess(caller, ids));
  }

  @Override
  public DecayResult decay(Caller caller) {
    return with(s -> s.decay(caller));
  }

  @Override
  public BackupInfo backup(Caller caller, String file) {
    return with(s -> s.backup(caller, file));
  }

  @Override
  public Space createSpace(Caller caller, SpaceRequest req) {
    return with(s -> s.createSpace(caller, req));
  }

  @Override
  public List<Space> spaces(Caller caller) {
    return with(s -> s.spaces(caller));
  }

  @Override
  public Space space(Caller caller, String spaceId) {
    return with(s -> s.space(caller, spaceId));
  }

  @Override
  public Space renameSpace(Caller caller, String spaceId, String name) {
    return with(s -> s.renameSpace(caller, spaceId, name));
  }

  @Override
  public void deleteSpace(Caller caller, String spaceId) {
    run(s -> s.deleteSpace(caller, spaceId));
  }

  @Override
  public List<Invitation> invitations(Caller caller) {
    return with(s -> s.invitations(caller));
  }

  @Override
  public List<Invitation> spaceInvitations(Caller caller, String spaceId) {
    return with(s -> s.spaceInvitations(caller, spaceId));
  }

  @Override
  public Space acceptInvitation(Caller caller, String invitationId) {
    return with(s -> s.acceptInvitation(caller, invitationId));
  }

  @Override
  public void declineInvitation(Caller caller, String invitationId) {
    run(s -> s.declineInvitation(caller, invitationId));
  }

  @Override
  public void revokeInvitation(Caller caller, String spaceId, String invitationId) {
    run(s -> s.revokeInvitation(caller, spaceId, invitationId));
  }

  @Override
  public Space putMember(Caller caller, String spaceId, String userId, String role) {
    return with(s -> s.putMember(caller, spaceId, userId, role));
  }

  @Override
  public Space removeMember(Caller caller, String spaceId, String userId) {
    return with(s -> s.removeMember(caller, spaceId, userId));
  }

  @Override
  public AutoShareRule addAutoShareRule(Caller caller, String spaceId, AutoShareRuleRequest req) {
    return with(s -> s.addAutoShareRule(caller, spaceId, req));
  }

  @Override
  public List<AutoShareRule> autoShareRules(Caller caller, String spaceId) {
    return with(s -> s.autoShareRules(caller, spaceId));
  }

  @Override
  public void deleteAutoShareRule(Caller caller, String spaceId, String ruleId) {
    run(s -> s.deleteAutoShareRule(caller, spaceId, ruleId));
  }

  @Override
  public ShareResults.Shared share(
      Caller caller, String memoryId, String targetSpace, String note) {
    return with(s -> s.share(caller, memoryId, targetSpace, note));
  }

  @Override
  public ShareResults.Batch batchShare(Caller caller, List<String> memoryIds, String targetSpace) {
    return with(s -> s.batchShare(caller, memoryIds, targetSpace));
  }

  @Override
  public ShareResults.All shareAll(
      Caller caller, String targetSpace, ShareResults.Filters filters) {
    return with(s -> s.shareAll(caller, targetSpace, filters));
  }

  @Override
  public ShareResults.Shared pull(Caller caller, String memoryId, String sourceSpace) {
    return with(s -> s.pull(caller, memoryId, sourceSpace));
  }

  @Override
  public ShareResults.Unshared unshare(Caller caller, String memoryId, String targetSpace) {
    return with(s -> s.unshare(caller, memoryId, targetSpace));
  }

  @Override
  public ShareResults.ToUser shareToUser(
      Caller caller, String memoryId, String targetUser, String note) {
    return with(s -> s.shareToUser(caller, memoryId, targetUser, note));
  }

  @Override
  public ShareResults.AllToUser shareAllToUser(
      Caller caller, String targetUser, ShareResults.Filters filters) {
    return with(s -> s.shareAllToUser(caller, targetUser, filters));
  }

  @Override
  public ShareResults.StaleInfo staleInfo(Caller caller, String memoryId) {
    return with(s -> s.staleInfo(caller, memoryId));
  }

  @Override
  public ExportResult export(Caller caller, ExportRequest req, Writer out) {
    return with(s -> s.export(caller, req, out));
  }

  @Override
  public ImportRecord importFile(Caller caller, ImportRequest req, ImportProgress progress) {
    return with(s -> s.importFile(caller, req, progress));
  }

  @Override
  public ImportRecord startImport(Caller caller, ImportRequest req) {
    return with(s -> s.startImport(caller, req));
  }

  @Override
  public List<ImportRecord> imports(Caller caller) {
    return with(s -> s.imports(caller));
  }

  @Override
  public ImportRecord importRecord(Caller caller, String id) {
    return with(s -> s.importRecord(caller, id));
  }

  @Override
  public ImportRecord rollbackImport(Caller caller, String id) {
    return with(s -> s.rollbackImport(caller, id));
  }
}
