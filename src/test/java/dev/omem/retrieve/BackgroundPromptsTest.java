package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The background of generic prompts under the real shipped model, on cases written here. */
class BackgroundPromptsTest {
  private static EmbeddingProvider provider;
  private static Embedder embedder;

  @BeforeAll
  static void load() {
    provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    provider.startLoading();
    embedder = provider.awaitReady(Duration.ofMinutes(2)).orElseThrow();
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  @Test
  void theBackgroundIsEmbeddedOncePerModel() {
    float[][] first = BackgroundPrompts.vectors(embedder);
    assertEquals(BackgroundPrompts.TEXTS.size(), first.length);
    assertEquals(ModelCatalog.DEFAULT.dimensions(), first[0].length);
    assertSame(first, BackgroundPrompts.vectors(embedder));
  }

  @Test
  void aGenericQuestionSitsCloserToTheBackgroundThanAProjectSpecificOne() {
    float[][] bg = BackgroundPrompts.vectors(embedder);
    double generic =
        BackgroundPrompts.level(embedder.embedQuery("how can I revert a pushed commit"), bg);
    double specific =
        BackgroundPrompts.level(
            embedder.embedQuery("bump the retry budget of PaymentsGatewayClient in ledger-sync"),
            bg);
    assertTrue(generic > specific, "generic " + generic + " vs specific " + specific);
    // A background prompt itself is its own nearest neighbour.
    assertEquals(1.0, BackgroundPrompts.nearest(bg[3], bg), 1e-5);
  }
}
