package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import dev.omem.ingest.ExtractionModel;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.LearnedExtractor;
import dev.omem.ingest.LocalRulesExtractor;
import dev.omem.store.Storage;
import dev.omem.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, the time of one Stop capture: smart ingest embeds each extracted fact once (the
 * classifier's vector is the one written; a piece said twice is embedded once), and the injection
 * screen's exemplars are embedded before the write lock is taken, not by the first screened write
 * under it. The real model, wrapped only to count the texts it embeds.
 */
class CaptureEmbedsOnceTest {
  static EmbeddingProvider real;

  /** The real model, counting the documents it embeds. */
  static final class CountingEmbedder implements Embedder {
    final Embedder delegate;
    final AtomicInteger documents = new AtomicInteger();

    CountingEmbedder(Embedder delegate) {
      this.delegate = delegate;
    }

    @Override
    public ModelSpec spec() {
      return delegate.spec();
    }

    @Override
    public String vectorModel() {
      return delegate.vectorModel();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      documents.addAndGet(texts.size());
      return delegate.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
      return delegate.embedQuery(query);
    }

    @Override
    public void close() {}
  }

  @TempDir Path home;

  @BeforeAll
  static void loadModel() {
    real = new EmbeddingProvider(ModelCatalog.DEFAULT);
    real.startLoading();
    real.awaitReady(Duration.ofSeconds(120)).orElseThrow();
  }

  @AfterAll
  static void closeModel() {
    real.close();
  }

  @Test
  void eachExtractedFactIsEmbeddedOnceAndTheScreenEmbedsNothingUnderTheLock() {
    Embedder model = real.ifReady().orElseThrow();
    CountingEmbedder counting = new CountingEmbedder(model);
    try (Storage db = SqliteStorage.open(home);
        EmbeddingProvider provider = EmbeddingProvider.of(counting)) {
      TrustScreen screen = new TrustScreen(provider);
      FactWriter writer =
          new FactWriter(
              db.memories(),
              () -> null, // embed() reads no index
              provider,
              Optional.empty(),
              Clock.systemUTC(),
              screen);
      List<FactExtractor.Turn> turns =
          List.of(
              new FactExtractor.Turn(
                  "user",
                  "Use soft deletes for patients, never hard deletes, because of the records"
                      + " retention law."),
              new FactExtractor.Turn("assistant", "Done: patients are soft-deleted now."),
              new FactExtractor.Turn(
                  "user",
                  "We deploy to Fly.io from the main branch; staging deploys from the develop"
                      + " branch."),
              new FactExtractor.Turn("assistant", "Deploys are set up."),
              // Said again: the same text, the same vector, embedded once.
              new FactExtractor.Turn(
                  "user",
                  "Use soft deletes for patients, never hard deletes, because of the records"
                      + " retention law."));
      List<FactExtractor.Fact> facts =
          new LearnedExtractor(provider, ExtractionModel.load(), new LocalRulesExtractor())
              .extract(turns);
      assertFalse(facts.isEmpty(), "the classifier keeps a fact of these turns");
      int afterExtraction = counting.documents.get();
      List<LearnedExtractor.Sentence> pieces = LearnedExtractor.sentences(turns);
      // Each distinct piece once, and at most each distinct assistant turn a piece answers (its
      // context, embedded only when it could change a decision: ContextOnDemandTest).
      java.util.Set<String> distinct = new java.util.HashSet<>();
      pieces.forEach(x -> distinct.add(x.text()));
      int own = distinct.size();
      pieces.stream()
          .map(LearnedExtractor.Sentence::before)
          .filter(b -> !b.isEmpty())
          .forEach(distinct::add);
      assertTrue(
          own <= afterExtraction && afterExtraction <= distinct.size(),
          "each distinct text embedded at most once: "
              + afterExtraction
              + " of "
              + pieces.size()
              + " pieces");
      List<FactWriter.Prepared> prepared = new ArrayList<>();
      for (FactExtractor.Fact f : facts) {
        prepared.add(
            writer.embed(
                new FactWriter.Candidate(
                    RequestValidator.content(f.text()),
                    f.category(),
                    f.tags(),
                    "project",
                    f.importance(),
                    f.confidence(),
                    "ingest",
                    MemoryType.INSIGHT)));
      }
      int exemplars =
          dev.omem.ingest.InjectionScreen.lines(dev.omem.ingest.InjectionScreen.ATTACKS_RESOURCE)
                  .size()
              + dev.omem.ingest.InjectionScreen.lines(
                      dev.omem.ingest.InjectionScreen.LOOKALIKES_RESOURCE)
                  .size();
      assertEquals(
          afterExtraction + exemplars,
          counting.documents.get(),
          "the writes embed no fact again; the screen's exemplars once, before the lock");

      for (FactWriter.Prepared p : prepared) {
        assertNotNull(p.vector(), p.candidate().content());
        float[] fresh = model.embedDocument(p.candidate().content());
        assertEquals(1.0, dot(fresh, p.vector()), 1e-4, "the vector a new call would give");
      }

      // What the write does under the lock: screen the new memory with its vector.
      int beforeScreen = counting.documents.get();
      for (FactWriter.Prepared p : prepared) {
        screen.screened(memory(p.candidate().content()), p.vector());
      }
      assertEquals(beforeScreen, counting.documents.get(), "nothing embedded under the lock");

      // A text the extraction did not see is embedded as before.
      FactWriter.Prepared other =
          writer.embed(
              new FactWriter.Candidate(
                  "The practice opens at eight on weekdays",
                  dev.omem.domain.Category.ENTITIES,
                  List.of(),
                  "project",
                  0.5,
                  0.5,
                  "ingest",
                  MemoryType.INSIGHT));
      assertNotNull(other.vector());
      assertEquals(beforeScreen + 1, counting.documents.get());
    }
  }

  private static Memory memory(String content) {
    Instant now = Instant.now();
    return Memory.builder()
        .id(java.util.UUID.randomUUID().toString())
        .tenantId("local")
        .spaceId("personal/local")
        .content(content)
        .category(dev.omem.domain.Category.ENTITIES)
        .memoryType(MemoryType.INSIGHT)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .scope("project")
        .createdAt(now)
        .updatedAt(now)
        .build();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
