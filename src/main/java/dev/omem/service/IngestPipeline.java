package dev.omem.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.ingest.AdmissionScorer;
import dev.omem.ingest.CategoryClassifier;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.NoiseFilter;
import dev.omem.ingest.RawTurnFilter;
import dev.omem.ingest.Reconciler;
import dev.omem.store.IngestTaskRepository;
import dev.omem.store.IngestTaskRepository.StepRow;
import dev.omem.store.IngestTaskRepository.TaskRow;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one queued ingest: extracts facts from its logged turns (once: the facts are saved with the
 * task), then writes each fact through {@link FactWriter}, recording each decision in the
 * transaction that applies it. A task resumed after a restart skips the facts already decided, so
 * nothing is extracted or stored twice.
 */
final class IngestPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The step of a fact that was not stored: noise, not admitted, or invalid. */
  static final String DROPPED = "dropped";

  private static final TypeReference<List<Map<String, Object>>> FACTS = new TypeReference<>() {};

  /**
   * Where the pipeline hands each write, so that writes of all callers take turns. A null {@code
   * candidate} writes nothing but {@code also} (a fact dropped before it could be stored); {@code
   * admit} (null: all) sees the nearest stored similarity, and when it refuses, {@code also} gets a
   * null outcome.
   */
  interface WriteGate {
    FactWriter.Outcome write(
        String tenant,
        Caller caller,
        FactWriter.Candidate candidate,
        boolean reconcile,
        java.util.function.DoublePredicate admit,
        java.util.function.Function<FactWriter.Outcome, Runnable> also);
  }

  private final IngestTaskRepository tasks;
  private final FactExtractor extractor;
  private final NoiseFilter noise = new NoiseFilter();
  private final AdmissionScorer admission;
  private final WriteGate gate;
  private final Clock clock;

  IngestPipeline(
      IngestTaskRepository tasks,
      FactExtractor extractor,
      AdmissionScorer admission,
      WriteGate gate,
      Clock clock) {
    this.tasks = tasks;
    this.admission = admission;
    this.extractor = extractor;
    this.gate = gate;
    this.clock = clock;
  }

  /**
   * Runs task {@code id} to its end (done, or failed with the reason). When {@code stopping} turns
   * true mid-way (the process is closing), it gives up without saving what a cut-off extraction
   * returned, so the task resumes whole on the next start.
   */
  void run(String id, java.util.function.BooleanSupplier stopping) {
    TaskRow t = tasks.get(id).orElse(null);
    if (t == null || t.status().equals("done") || t.status().equals("failed")) {
      return;
    }
    if (!t.status().equals("running")) {
      tasks.start(id, now()); // a task claimed by the worker is running, its attempt counted
    }
    List<FactExtractor.Fact> facts;
    if (t.factsJson() != null) {
      facts = readFacts(t.factsJson());
    } else {
      List<FactExtractor.Turn> turns =
          tasks.turns(id).stream().map(r -> new FactExtractor.Turn(r.role(), r.content())).toList();
      facts = t.mode().equals("raw") ? rawFacts(turns) : extractor.extract(turns);
      if (stopping.getAsBoolean()) {
        throw new IllegalStateException("closing: task " + id + " resumes on the next start");
      }
      tasks.saveFacts(id, writeFacts(facts), now());
    }
    Set<Integer> decided = new HashSet<>();
    tasks.steps(id).forEach(s -> decided.add(s.factIndex()));
    Caller caller = new Caller(t.tenantId(), t.project(), t.agentId(), t.sessionId());
    MemoryType type = t.mode().equals("raw") ? MemoryType.SESSION : MemoryType.INSIGHT;
    for (int i = 0; i < facts.size(); i++) {
      if (decided.contains(i)) {
        continue;
      }
      if (stopping.getAsBoolean()) {
        throw new IllegalStateException("closing: task " + id + " resumes on the next start");
      }
      int index = i;
      FactExtractor.Fact f = facts.get(i);
      FactWriter.Candidate c;
      try {
        c =
            StoreDraft.of(
                    f.text(),
                    f.category(),
                    f.tags(),
                    scopeOf(f, t.project()),
                    f.importance(),
                    "ingest",
                    t.project())
                .candidate(f.confidence(), type);
      } catch (OmemException invalid) {
        c = null;
      }
      boolean smart = type == MemoryType.INSIGHT;
      // A learned extractor's fact (it has a kind) was admitted by its calibrated classifier:
      // the rules below were tuned on the team's own corpus and would second-guess it.
      boolean screened = smart && f.kind() == null;
      if (c == null || (screened && noise.isNoise(c.content()))) {
        gate.write(
            t.tenantId(), caller, null, false, null, o -> step(id, index, DROPPED, null, null));
        continue;
      }
      int count = facts.size();
      gate.write(
          t.tenantId(),
          caller,
          c,
          smart,
          screened ? nearest -> admitted(f, nearest, index, count) : null,
          o ->
              o == null
                  ? step(id, index, DROPPED, null, null)
                  : step(
                      id,
                      index,
                      o.decision().wire(),
                      o.memory() == null ? null : o.memory().id(),
                      o.relatedId()));
    }
    tasks.finish(id, "done", null, now());
  }

  /**
   * Whether admission lets the fact in. Facts about the same thing as a stored memory (at or above
   * {@link Reconciler#SAME_TOPIC}) are scored as if nothing were stored: reconciliation decides
   * what they add (SKIP, SUPPORT, MERGE, ...), and novelty must not drop them first. Facts are in
   * the order they were said, so a fact's place among them stands for its turn's.
   */
  private boolean admitted(FactExtractor.Fact f, double nearest, int index, int count) {
    double closest =
        nearest >= Reconciler.SAME_TOPIC || nearest <= 0 ? AdmissionScorer.NOTHING_STORED : nearest;
    return admission.score(f, closest, index, count).admitted();
  }

  /** The scope an extractor asked for: "project" only when the task has a project. */
  private static String scopeOf(FactExtractor.Fact f, String project) {
    return "project".equals(f.scope()) && project == null ? null : f.scope();
  }

  /** Records a fact's decision; run inside the write that applies it, so it joins that. */
  private Runnable step(
      String task, int index, String decision, String memoryId, String relatedId) {
    return () -> tasks.recordStep(task, new StepRow(index, decision, memoryId, relatedId));
  }

  /** Raw mode: each substantive user turn, whole. */
  private static List<FactExtractor.Fact> rawFacts(List<FactExtractor.Turn> turns) {
    List<FactExtractor.Fact> out = new ArrayList<>();
    for (FactExtractor.Turn t : turns) {
      if (t.role().equalsIgnoreCase("user") && RawTurnFilter.isSubstantive(t.content())) {
        out.add(
            new FactExtractor.Fact(
                t.content(), CategoryClassifier.classify(t.content()), List.of(), 0.5, 0.5));
      }
    }
    return out;
  }

  static String writeFacts(List<FactExtractor.Fact> facts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (FactExtractor.Fact f : facts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("text", f.text());
      m.put("category", f.category().wire());
      m.put("tags", f.tags());
      m.put("importance", f.importance());
      m.put("confidence", f.confidence());
      if (f.kind() != null) {
        m.put("kind", f.kind());
      }
      if (f.scope() != null) {
        m.put("scope", f.scope());
      }
      out.add(m);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("facts are plain data", e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<FactExtractor.Fact> readFacts(String json) {
    try {
      List<FactExtractor.Fact> out = new ArrayList<>();
      for (Map<String, Object> m : JSON.readValue(json, FACTS)) {
        out.add(
            new FactExtractor.Fact(
                (String) m.get("text"),
                RequestValidator.category((String) m.get("category")),
                (List<String>) m.get("tags"),
                ((Number) m.get("importance")).doubleValue(),
                ((Number) m.get("confidence")).doubleValue(),
                (String) m.get("kind"),
                (String) m.get("scope")));
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task's saved facts do not read back: " + e, e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
