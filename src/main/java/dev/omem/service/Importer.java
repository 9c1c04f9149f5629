package dev.omem.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.portable.FileType;
import dev.omem.portable.Formats;
import dev.omem.portable.ImportItem;
import dev.omem.portable.ParsedFile;
import dev.omem.portable.PortableMemory;
import dev.omem.portable.Strategy;
import dev.omem.store.ContentHash;
import dev.omem.store.ImportRepository;
import dev.omem.store.ImportRepository.ImportRow;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Imports files (issue 7): the bulk path. The file is checked whole first (an unreadable file
 * stores nothing; an omem file is then read again memory by memory, never held whole); then its
 * items go in batches of {@link #BATCH}, each batch one transaction that also records the memories
 * it created and the import's progress.
 *
 * <ul>
 *   <li>Every text passes the store's gate ({@link RequestValidator#content}: private spans and
 *       secrets redacted, size checked); an item that fails it is an error entry.
 *   <li>No reconciliation: an item whose normalised text the tenant already holds (not deleted) is
 *       skipped, as is one repeated in the same file, or an OMP item whose id a memory keeps;
 *       {@code force} imports them all the same.
 *   <li>omem files are restored as they were: same ids, states, relations, counts, times and
 *       history (notes redacted too), and their vectors when the text came through redaction
 *       unchanged. An id that exists is skipped; with {@code force} the tenant's own memory is
 *       rewritten as the file has it.
 *   <li>Imported memories are {@code pinned} (like stored ones), in the caller's agent and session,
 *       with {@code import_id} in their provenance; no expiry is guessed from old text.
 *   <li>A {@code session} file goes through the ingest path as one task.
 * </ul>
 *
 * <p>Over 400 lines because one import's whole life (reading, batches, progress, rollback) shares
 * its job's state.
 */
final class Importer implements AutoCloseable {
  static final int BATCH = 100;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<ImportRecord.ImportError>> ERRORS =
      new TypeReference<>() {};

  private final MemoryRepository repo;
  private final ImportRepository imports;
  private final EmbeddingProvider embeddings;
  private final MemoryWriter writer;
  private final BiFunction<Caller, IngestRequest, IngestResult> ingest;
  private final Clock clock;
  private final TrustScreen screen;
  private final java.util.concurrent.ExecutorService runner =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "omem-import");
            t.setDaemon(true);
            return t;
          });

  /**
   * A file read and its record created, not yet imported; {@code spool} is the uploaded file's copy
   * (or null), removed when the job ends.
   */
  record Job(
      String tenant,
      Caller caller,
      boolean force,
      ParsedFile file,
      ImportRecord record,
      java.nio.file.Path spool) {}

  private final ImportSpool spool;

  Importer(
      MemoryRepository repo,
      ImportRepository imports,
      EmbeddingProvider embeddings,
      MemoryWriter writer,
      BiFunction<Caller, IngestRequest, IngestResult> ingest,
      Clock clock,
      TrustScreen screen,
      ImportSpool spool) {
    this.spool = spool;
    this.screen = screen;
    this.repo = repo;
    this.imports = imports;
    this.embeddings = embeddings;
    this.writer = writer;
    this.ingest = ingest;
    this.clock = clock;
    imports.failRunning(now());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- starting ----

  /**
   * Reads the file and records the import as running; nothing is stored when this throws. An upload
   * is copied to the spool first, and read from there.
   */
  Job begin(String tenant, Caller caller, ImportRequest r) {
    java.nio.file.Path copy =
        r.upload() == null ? null : spool.copy(r.upload(), ImportRequest.MAX_UPLOAD_BYTES);
    try {
      Job job = begin(tenant, caller, r, copy);
      if (job.record().finished()) {
        ImportSpool.remove(copy);
      }
      return job;
    } catch (RuntimeException e) {
      ImportSpool.remove(copy);
      throw e;
    }
  }

  private Job begin(String tenant, Caller caller, ImportRequest r, java.nio.file.Path copy) {
    FileType type = FileType.parse(r.fileType());
    Strategy strategy = Strategy.parse(r.strategy());
    if (r.spaceId() != null
        && !r.spaceId().isBlank()
        && !r.spaceId().trim().equals("personal/" + tenant)) {
      throw OmemException.invalid(
          "space_id '"
              + r.spaceId()
              + "' is not available: imports go to your personal space (personal/"
              + tenant
              + ") for now");
    }
    if (copy == null ? r.content() == null || r.content().isBlank() : blank(copy)) {
      throw OmemException.invalid("the file is empty: give its content");
    }
    ParsedFile file =
        copy == null
            ? Formats.read(type, r.content(), r.fileName(), strategy)
            : Formats.read(type, copy, r.fileName(), strategy, ImportRequest.WHOLE_FILE_BYTES);
    Instant now = now();
    String id = UUID.randomUUID().toString();
    String taskId = null;
    String status = "running";
    int imported = 0;
    if (type == FileType.SESSION) {
      List<IngestRequest.Message> messages =
          file.messages().stream()
              .map(m -> new IngestRequest.Message(m.role(), m.content()))
              .toList();
      IngestResult res = ingest.apply(caller, new IngestRequest(messages, "smart"));
      taskId = res.taskId();
      imported = res.storedCount();
      status = "completed";
    }
    ImportRow row =
        new ImportRow(
            id,
            tenant,
            type.wire(),
            r.fileName(),
            type == FileType.MARKDOWN ? strategy.wire() : null,
            status,
            file.total(),
            type == FileType.SESSION ? file.total() : 0,
            imported,
            0,
            errorsJson(List.of()),
            taskId,
            now,
            now);
    imports.create(row);
    return new Job(tenant, caller, r.force(), file, record(row), copy);
  }

  /** Whether an uploaded file holds only white space; checks that all of it is UTF-8. */
  private static boolean blank(java.nio.file.Path copy) {
    return dev.omem.portable.FileHead.of(copy, "the file").isEmpty();
  }

  /** Runs the job on the import thread; the record returned is the running one. */
  ImportRecord startAsync(Job job) {
    if (job.record().finished()) {
      return job.record();
    }
    runner.execute(() -> run(job, ImportProgress.NONE));
    return job.record();
  }

  // ---- running ----

  /** Imports the job's items batch by batch; returns the finished record. */
  ImportRecord run(Job job, ImportProgress progress) {
    try {
      return runFile(job, progress);
    } finally {
      ImportSpool.remove(job.spool());
    }
  }

  private ImportRecord runFile(Job job, ImportProgress progress) {
    if (job.record().finished()) {
      progress.progress(job.record());
      return job.record();
    }
    Progress p = new Progress(job);
    p.errors.addAll(
        job.file().errors().stream()
            .map(e -> new ImportRecord.ImportError(e.index(), e.message()))
            .toList());
    p.processed = job.file().errors().size();
    try {
      // Read from the file batch by batch (OmemFileReader): the heap holds one batch, not the file.
      List<PortableMemory> batch = new ArrayList<>(BATCH);
      int offset = 0;
      for (PortableMemory m : job.file().restores()) {
        batch.add(m);
        if (batch.size() == BATCH) {
          restoreBatch(p, batch, offset);
          progress.progress(p.record("running"));
          offset += batch.size();
          batch = new ArrayList<>(BATCH);
        }
      }
      if (!batch.isEmpty()) {
        restoreBatch(p, batch, offset);
        progress.progress(p.record("running"));
      }
      List<ImportItem> items = job.file().items();
      Set<String> ompIds = job.force() ? Set.of() : imports.ompIds(job.tenant());
      for (int from = 0; from < items.size(); from += BATCH) {
        itemBatch(p, items.subList(from, Math.min(items.size(), from + BATCH)), from, ompIds);
        progress.progress(p.record("running"));
      }
    } catch (RuntimeException e) {
      p.errors.add(new ImportRecord.ImportError(-1, "the import stopped: " + e.getMessage()));
      ImportRecord failed = p.finish("failed");
      progress.progress(failed);
      return failed;
    }
    String status =
        p.errors.isEmpty() ? "completed" : p.imported == 0 && p.skipped == 0 ? "failed" : "partial";
    ImportRecord done = p.finish(status);
    progress.progress(done);
    return done;
  }

  /** The counts of a running import; each batch's are written in the batch's transaction. */
  private final class Progress {
    final Job job;
    final List<ImportRecord.ImportError> errors = new ArrayList<>();
    final Set<String> hashesSeen = new HashSet<>();
    int processed;
    int imported;
    int skipped;

    Progress(Job job) {
      this.job = job;
    }

    ImportRow row(String status) {
      ImportRecord r = job.record();
      return new ImportRow(
          r.id(),
          job.tenant(),
          r.fileType(),
          r.fileName(),
          r.strategy(),
          status,
          r.totalItems(),
          processed,
          imported,
          skipped,
          errorsJson(errors),
          r.taskId(),
          r.createdAt(),
          now());
    }

    ImportRecord record(String status) {
      return Importer.record(row(status));
    }

    ImportRecord finish(String status) {
      ImportRow row = row(status);
      imports.update(row);
      return Importer.record(row);
    }
  }

  /**
   * One batch of an omem file. Its texts are embedded before the write lock, in one call (a restore
   * holds the lock only for its checks and its commit, so stores and searches go on meanwhile);
   * under the lock every check is made again, so a write in between changes only what is skipped,
   * and a text to be written that was not embedded before is embedded then.
   */
  private void restoreBatch(Progress p, List<PortableMemory> batch, int offset) {
    Optional<Embedder> own = embeddings.ifReady();
    List<Restore> restores = new ArrayList<>(batch.size());
    for (PortableMemory pm : batch) {
      restores.add(Restore.of(pm, p.job.tenant(), now()));
    }
    Map<String, float[]> vectors =
        own.map(e -> ownVectors(e, p, restores)).orElseGet(LinkedHashMap::new);
    // The checks below (which ids and texts are stored) and the batch's commit, with no write
    // between them.
    writer.locked(
        () -> {
          restoreBatchLocked(p, restores, batch, offset, own, vectors);
          return null;
        });
  }

  /**
   * The vectors of the texts this batch is about to write (those of memories it would skip, or
   * refuse, are not embedded), in one call to the model: each the embedding of its own text.
   */
  private Map<String, float[]> ownVectors(Embedder e, Progress p, List<Restore> restores) {
    Set<String> existing = existingIds(restores);
    Set<String> activeTexts = new HashSet<>();
    List<String> texts = new ArrayList<>();
    for (Restore r : restores) {
      try {
        Restore.Plan plan = plan(p, r, existing, activeTexts);
        if (plan != null) {
          texts.add(plan.memory().content());
        }
      } catch (RuntimeException refused) {
        // recorded as the item's error under the lock
      }
    }
    List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(texts));
    List<float[]> embedded = e.embedDocuments(distinct);
    Map<String, float[]> byText = new LinkedHashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      byText.put(distinct.get(i), embedded.get(i));
    }
    return byText;
  }

  private Set<String> existingIds(List<Restore> restores) {
    return imports.existingIds(
        restores.stream().map(Restore::id).filter(java.util.Objects::nonNull).toList());
  }

  private void restoreBatchLocked(
      Progress p,
      List<Restore> restores,
      List<PortableMemory> batch,
      int offset,
      Optional<Embedder> own,
      Map<String, float[]> vectors) {
    Set<String> activeTexts = new HashSet<>();
    Set<String> existing = existingIds(restores);
    MemoryWrite w = new MemoryWrite();
    List<String> created = new ArrayList<>();
    Map<String, List<HistoryEntry>> rewrittenHistory = new LinkedHashMap<>();
    for (int i = 0; i < restores.size(); i++) {
      Restore one = restores.get(i);
      p.processed++;
      try {
        Restore.Plan plan = plan(p, one, existing, activeTexts);
        if (plan == null) {
          p.skipped++;
          continue;
        }
        Memory r = plan.memory();
        // Screened like every other write, and stored, with the text's own embedding (none yet:
        // the backfill embeds it): the file's vector is only the file's claim about the text, and
        // a doctored file pairs an instruction with a harmless vector, which the screen, search
        // and a later share would believe (session 16, PoisonedRestoreTest).
        float[] vector =
            own.map(e -> vectors.computeIfAbsent(r.content(), e::embedDocument)).orElse(null);
        Memory m = screen.screened(r, vector);
        String model = own.map(Embedder::vectorModel).orElse(null);
        List<HistoryEntry> steps =
            batch.get(i).history().stream().map(Importer::redactedStep).toList();
        if (plan.exists()) {
          w.rewrite(m, true, vector, model);
          rewrittenHistory.put(m.id(), steps);
        } else {
          w.insert(new StoredMemory(m, vector, model, plan.duplicateAllowed()));
          steps.forEach(e -> w.history(m, e));
        }
        created.add(m.id());
        p.imported++;
      } catch (RuntimeException e) {
        p.errors.add(new ImportRecord.ImportError(offset + i, OmemExceptionText.of(e)));
      }
    }
    commit(p, w, created, rewrittenHistory);
  }

  /**
   * What the batch does with one memory of the file given what the store holds: null to skip it
   * (its id is stored and the import is not forced, or it repeats an active text held in its scope
   * or earlier in the batch), else the memory to write. Reads the store, writes nothing.
   */
  private Restore.Plan plan(
      Progress p, Restore one, Set<String> existing, Set<String> activeTexts) {
    if (one.id() == null) {
      throw one.error();
    }
    String tenant = p.job.tenant();
    String id = one.id();
    boolean exists = existing.contains(id) && repo.find(tenant, id).isPresent();
    if (existing.contains(id) && !exists) {
      // Another tenant's (or space's) id: answered exactly as a missing one, so an import
      // never tells whether it exists. The restored memory gets an id of its own, the same
      // one on every import of this file by this tenant, so a re-import skips it as usual.
      id = UUID.nameUUIDFromBytes((tenant + "\n" + id).getBytes(StandardCharsets.UTF_8)).toString();
      exists = repo.find(tenant, id).isPresent();
    }
    if (exists && !p.job.force()) {
      return null;
    }
    if (one.memory() == null) {
      throw one.error();
    }
    Memory r = one.memory().toBuilder().id(id).build();
    // A forced import, and a shared copy, may repeat a stored text; any other restore of an
    // active text already held in its scope (or earlier in this batch) is skipped as a
    // duplicate, as an import's items are. (The screen, which comes after, changes only the
    // trust flag.)
    boolean duplicateAllowed = p.job.force() || r.provenance().containsKey("shared_from_memory");
    if (!exists
        && !duplicateAllowed
        && r.state() == MemoryState.ACTIVE
        && (!activeTexts.add(r.scope() + "\n" + ContentHash.of(r.content()))
            || repo.findActiveDuplicate(tenant, r.scope(), r.content()).isPresent())) {
      return null;
    }
    return new Restore.Plan(r, exists, duplicateAllowed);
  }

  /**
   * One memory of an omem file, checked and redacted once, before the lock: its id as the file
   * gives it and the memory to restore (under that id). {@code error} says why the id (when {@code
   * id} is null) or else the memory (when {@code memory} is null) is refused: a memory whose id is
   * stored is skipped before its other fields are checked.
   */
  private record Restore(String id, Memory memory, RuntimeException error) {
    static Restore of(PortableMemory pm, String tenant, Instant now) {
      String id;
      try {
        id = RequestValidator.id(pm.memory().id());
      } catch (RuntimeException e) {
        return new Restore(null, null, e);
      }
      try {
        return new Restore(id, restored(pm.memory(), tenant, id, now), null);
      } catch (RuntimeException e) {
        return new Restore(id, null, e);
      }
    }

    /** A memory to write: {@code exists} rewrites the tenant's own; a new one may repeat a text. */
    record Plan(Memory memory, boolean exists, boolean duplicateAllowed) {}
  }

  /** The file's memory, redacted and {@link RestoredMemory#believable}, in the tenant's store. */
  private static Memory restored(Memory m, String tenant, String id, Instant now) {
    String content = RequestValidator.content(m.content());
    if (m.createdAt() == null || m.updatedAt() == null) {
      throw OmemException.invalid("created_at and updated_at are required");
    }
    // Restored into the importer's own space, whichever space the file names.
    String space = SpaceAccess.spaceOfPartition(tenant);
    // An omem file keeps each memory's confirmation; its flag is screened again.
    return RestoredMemory.believable(m, now).toBuilder()
        .id(id)
        .tenantId(tenant)
        .spaceId(space)
        .content(content)
        .tags(RequestValidator.tags(m.tags()))
        .scope(ScopeRules.storeScope(m.scope(), m.category(), null))
        .source(RequestValidator.source(m.source()))
        .provenance(RequestValidator.redactedValues(m.provenance()))
        .build();
  }

  private static HistoryEntry redactedStep(HistoryEntry e) {
    String note = e.note() == null ? null : RequestValidator.redacted(e.note());
    return new HistoryEntry(
        e.action(),
        e.at(),
        e.sessionId(),
        e.agentId(),
        RequestValidator.source(e.source()),
        e.relatedId(),
        note);
  }

  private void itemBatch(Progress p, List<ImportItem> batch, int offset, Set<String> ompIds) {
    Caller caller = p.job.caller();
    String importId = p.job.record().id();
    Instant now = now();
    List<Memory> fresh = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      ImportItem it = batch.get(i);
      try {
        Memory m = draft(it, caller, p.job.tenant(), importId, now);
        Object ompId = it.provenance().get("omp_id");
        if (!p.job.force() && ompId != null && ompIds.contains(ompId.toString())) {
          p.skipped++;
          p.processed++;
          continue;
        }
        String hash = ContentHash.of(m.content());
        if (!p.job.force() && !p.hashesSeen.add(hash)) {
          p.skipped++; // the same text earlier in this file
          p.processed++;
          continue;
        }
        fresh.add(m);
      } catch (RuntimeException e) {
        p.errors.add(new ImportRecord.ImportError(offset + i, OmemExceptionText.of(e)));
        p.processed++;
      }
    }
    // Embedded before the write lock, as a restore's batch is; the lock checks again.
    Optional<Embedder> e = embeddings.ifReady();
    Map<String, float[]> vectors = new LinkedHashMap<>();
    if (e.isPresent() && !fresh.isEmpty()) {
      Set<String> held =
          p.job.force() ? Set.of() : imports.existingHashes(p.job.tenant(), hashes(fresh));
      List<String> texts =
          fresh.stream()
              .map(Memory::content)
              .filter(t -> !held.contains(ContentHash.of(t)))
              .distinct()
              .toList();
      List<float[]> embedded = e.get().embedDocuments(texts);
      for (int i = 0; i < texts.size(); i++) {
        vectors.put(texts.get(i), embedded.get(i));
      }
    }
    writer.locked(() -> commitItems(p, fresh, importId, caller, now, e, vectors));
  }

  private static List<String> hashes(List<Memory> memories) {
    return memories.stream().map(m -> ContentHash.of(m.content())).toList();
  }

  /** Under the write lock: what is stored already is skipped, the rest committed as one batch. */
  private Void commitItems(
      Progress p,
      List<Memory> fresh,
      String importId,
      Caller caller,
      Instant now,
      Optional<Embedder> e,
      Map<String, float[]> vectors) {
    {
      if (!p.job.force() && !fresh.isEmpty()) {
        Set<String> held = imports.existingHashes(p.job.tenant(), hashes(fresh));
        int before = fresh.size();
        fresh.removeIf(m -> held.contains(ContentHash.of(m.content())));
        p.skipped += before - fresh.size();
        p.processed += before - fresh.size();
      }
      String model = e.map(Embedder::vectorModel).orElse(null);
      MemoryWrite w = new MemoryWrite();
      List<String> created = new ArrayList<>();
      for (int i = 0; i < fresh.size(); i++) {
        String text = fresh.get(i).content();
        // A text stored as held before the lock and forgotten since is embedded here.
        float[] v = e.map(x -> vectors.computeIfAbsent(text, x::embedDocument)).orElse(null);
        Memory m = screen.screened(fresh.get(i), v);
        w.insert(new StoredMemory(m, v, model, p.job.force()))
            .history(
                m,
                new HistoryEntry(
                    HistoryEntry.Action.CREATED,
                    now,
                    caller.sessionId(),
                    caller.agentId(),
                    m.source(),
                    null,
                    "import " + importId));
        created.add(m.id());
      }
      p.imported += fresh.size();
      p.processed += fresh.size();
      commit(p, w, created, Map.of());
    }
    return null;
  }

  /** A new memory from a file's item, through the store's checks ({@link StoreDraft}). */
  private static Memory draft(
      ImportItem it, Caller caller, String tenant, String importId, Instant now) {
    StoreDraft d =
        StoreDraft.of(
            it.content(),
            it.category(),
            it.tags(),
            it.scope(),
            it.importance(),
            it.source(),
            caller.project());
    Map<String, Object> provenance = RequestValidator.redactedValues(it.provenance());
    provenance.put("import_id", importId);
    Instant created = it.createdAt() != null && it.createdAt().isBefore(now) ? it.createdAt() : now;
    created = created.truncatedTo(ChronoUnit.MILLIS);
    return d.newMemory(tenant, caller, MemoryType.PINNED, now)
        .sessionId(it.sessionId() != null ? it.sessionId() : caller.sessionId())
        .provenance(provenance)
        .createdAt(created)
        .expiresAt(it.expiresAt() == null ? null : it.expiresAt().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  /** One batch and the import's progress in one transaction, through the writer. */
  private void commit(
      Progress p, MemoryWrite w, List<String> created, Map<String, List<HistoryEntry>> rewritten) {
    String tenant = p.job.tenant();
    ImportRow row = p.row("running");
    writer.commit(
        w,
        () -> {
          for (Map.Entry<String, List<HistoryEntry>> e : rewritten.entrySet()) {
            imports.replaceHistory(tenant, e.getKey(), e.getValue());
          }
          imports.addItems(row.id(), created);
          imports.update(row);
        });
  }

  // ---- reading and rolling back ----

  ImportRecord find(String tenant, String rawId) {
    String id = RequestValidator.id(rawId);
    return imports
        .find(tenant, id)
        .map(Importer::record)
        .orElseThrow(() -> OmemException.notFound("no import with id " + id));
  }

  List<ImportRecord> list(String tenant) {
    return imports.list(tenant, 200).stream().map(Importer::record).toList();
  }

  ImportRecord rollback(String tenant, String rawId) {
    ImportRecord r = find(tenant, rawId);
    return writer.locked(() -> rollbackLocked(tenant, r));
  }

  private ImportRecord rollbackLocked(String tenant, ImportRecord r) {
    {
      ImportRow row = imports.find(tenant, r.id()).orElseThrow();
      if (row.status().equals("rolled_back")) {
        throw new OmemException(
            ErrorCode.CONFLICT, "import " + r.id() + " was already rolled back");
      }
      if (row.status().equals("running")) {
        throw new OmemException(
            ErrorCode.CONFLICT, "import " + r.id() + " is still running; roll it back when done");
      }
      Instant now = now();
      MemoryWrite w = new MemoryWrite();
      for (String id : imports.items(r.id())) {
        Optional<Memory> m = repo.find(tenant, id);
        if (m.isEmpty() || m.get().state() == MemoryState.DELETED) {
          continue;
        }
        Memory d = m.get().edited(null, null, null, null, MemoryState.DELETED, now);
        w.rewrite(d)
            .history(
                d,
                new HistoryEntry(
                    HistoryEntry.Action.DELETED,
                    now,
                    null,
                    null,
                    null,
                    null,
                    "rollback of import " + r.id()));
      }
      ImportRow done =
          new ImportRow(
              row.id(),
              row.tenantId(),
              row.fileType(),
              row.fileName(),
              row.strategy(),
              "rolled_back",
              row.totalItems(),
              row.processed(),
              row.imported(),
              row.skipped(),
              row.errorsJson(),
              row.taskId(),
              row.createdAt(),
              now);
      writer.commit(w, () -> imports.update(done));
      return record(done);
    }
  }

  static ImportRecord record(ImportRow r) {
    List<ImportRecord.ImportError> errors;
    try {
      errors = JSON.readValue(r.errorsJson(), ERRORS);
    } catch (JsonProcessingException e) {
      errors = List.of(new ImportRecord.ImportError(-1, r.errorsJson()));
    }
    return new ImportRecord(
        r.id(),
        r.status(),
        r.fileType(),
        r.fileName(),
        r.strategy(),
        r.totalItems(),
        r.processed(),
        r.imported(),
        r.skipped(),
        errors,
        r.taskId(),
        r.createdAt(),
        r.updatedAt());
  }

  private static String errorsJson(List<ImportRecord.ImportError> errors) {
    try {
      return JSON.writeValueAsString(errors);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    runner.shutdown();
    try {
      runner.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An error entry's text: an OmemException's message, else the exception itself. */
  private static final class OmemExceptionText {
    private OmemExceptionText() {}

    static String of(RuntimeException e) {
      return e instanceof OmemException || e instanceof IllegalArgumentException
          ? e.getMessage()
          : e.toString();
    }
  }
}
