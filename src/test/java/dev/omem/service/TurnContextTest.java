package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.store.Vectors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An explicit store's vector is its own vector summed with that of the memory followed by the one
 * stored before it in the caller's session ({@link TurnContext}; issue 13, session 15), on both
 * write paths (one store, a batch), while the content stays as given; a caller with no session gets
 * the content's vector. Real model, real SQLite store; the stored vectors are read back from the
 * database.
 */
class TurnContextTest {
  private static final Caller CHAT = new Caller(null, "turns", null, "chat-1");
  private static final Caller NO_SESSION = Caller.local("turns");
  private static final String PHOTO =
      "(8 May 2023) Caroline: Here is the lake at dawn from our trip [shares a sunrise photo]";
  private static final String REPLY = "(8 May 2023) Melanie: I painted that last year!";
  private static final String NEXT = "(8 May 2023) Caroline: It looks just like the real thing";

  private static EmbeddingProvider model;

  @TempDir Path home;

  @BeforeAll
  static void loadModel() {
    model = new EmbeddingProvider(ModelCatalog.DEFAULT);
    model.startLoading();
    model.awaitReady(Duration.ofSeconds(120)).orElseThrow();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void aTurnIsEmbeddedWithTheTurnBeforeItInItsSession() throws Exception {
    try (LocalMemoryService svc = open()) {
      Embedder e = model.ifReady().orElseThrow();
      Memory photo = svc.store(CHAT, StoreRequest.of(PHOTO));
      Memory reply = svc.store(CHAT, StoreRequest.of(REPLY));
      List<Memory> batch = svc.storeAll(CHAT, List.of(StoreRequest.of(NEXT)));
      Memory alone = svc.store(NO_SESSION, StoreRequest.of("The kiln fires at noon on Fridays"));

      assertEquals(REPLY, reply.content(), "the content stays as given");
      assertClose(e.embedDocument(PHOTO), vector(photo.id()), "the session's first: itself");
      assertClose(inContext(e, REPLY, PHOTO), vector(reply.id()), "with the turn before it");
      assertClose(
          inContext(e, NEXT, REPLY),
          vector(batch.get(0).id()),
          "a batch's first: with the session's last stored memory");
      assertClose(
          e.embedDocument(alone.content()), vector(alone.id()), "no session: the content alone");
    }
  }

  @Test
  void aBatchChainsItsDraftsInOrder() throws Exception {
    try (LocalMemoryService svc = open()) {
      Embedder e = model.ifReady().orElseThrow();
      List<Memory> stored =
          svc.storeAll(
              CHAT, List.of(StoreRequest.of(PHOTO), StoreRequest.of(REPLY), StoreRequest.of(NEXT)));
      assertClose(e.embedDocument(PHOTO), vector(stored.get(0).id()), "first of a new session");
      assertClose(inContext(e, REPLY, PHOTO), vector(stored.get(1).id()), "second");
      assertClose(inContext(e, NEXT, REPLY), vector(stored.get(2).id()), "third");
    }
  }

  /** The memory's own vector and the vector of it followed by the memory before it, summed. */
  private static float[] inContext(Embedder e, String content, String previous) {
    return TurnContext.normalisedSum(
        e.embedDocument(content), e.embedDocument(content + "\n" + previous));
  }

  private LocalMemoryService open() {
    LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    if (!svc.awaitModel(Duration.ofSeconds(120))) {
      throw new IllegalStateException("the model did not load");
    }
    return svc;
  }

  private static void assertClose(float[] want, float[] got, String why) {
    assertNotNull(got, why + ": no vector stored");
    double dot = 0;
    for (int i = 0; i < want.length; i++) {
      dot += want[i] * got[i];
    }
    assertEquals(1.0, dot, 1e-4, why);
  }

  private float[] vector(String id) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("omem.db"));
        PreparedStatement ps = c.prepareStatement("SELECT embedding FROM memories WHERE id=?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBytes(1) != null ? Vectors.fromBlob(rs.getBytes(1)) : null;
      }
    }
  }
}
