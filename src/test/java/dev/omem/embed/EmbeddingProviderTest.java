package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddingProviderTest {

  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void loadsTheDefaultModelInTheBackground() {
    try (EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT)) {
      assertSame(ModelCatalog.DEFAULT, provider.spec());
      assertEquals("not started", provider.status());
      assertTrue(provider.ifReady().isEmpty());

      Optional<Embedder> embedder = provider.awaitReady(LOAD_TIMEOUT);
      assertTrue(embedder.isPresent(), provider.status());
      assertEquals("ready", provider.status());
      assertSame(embedder.get(), provider.ifReady().orElseThrow());
      assertEquals(384, embedder.get().embedQuery("tabs or spaces?").length);
    }
  }

  @Test
  void startLoadingIsIdempotentAndUsesANamedDaemonThread() throws InterruptedException {
    try (EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT)) {
      provider.startLoading();
      Thread loader = findThread(EmbeddingProvider.LOADER_THREAD);
      provider.startLoading();
      provider.startLoading();
      String status = provider.status();
      assertTrue(status.equals("loading") || status.equals("ready"), status);
      if (loader != null) { // null only if loading already finished
        assertTrue(loader.isDaemon());
      }
      assertTrue(provider.awaitReady(LOAD_TIMEOUT).isPresent(), provider.status());
    }
  }

  @Test
  void loadAfterHoldsTheLoadUntilItsSignal() {
    java.util.concurrent.CompletableFuture<Void> signal =
        new java.util.concurrent.CompletableFuture<>();
    try (EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT)) {
      provider.loadAfter(signal);
      provider.startLoading();
      // Long enough for the real model to load (about a second here) had the signal not held it.
      assertTrue(provider.awaitReady(Duration.ofSeconds(5)).isEmpty());
      assertEquals("loading", provider.status());
      signal.complete(null);
      assertTrue(provider.awaitReady(LOAD_TIMEOUT).isPresent(), provider.status());
    }
  }

  @Test
  void aLoadStillHeldEndsAtOnceWhenClosed() {
    EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    provider.loadAfter(new java.util.concurrent.CompletableFuture<>()); // never completes
    provider.startLoading();
    long t0 = System.nanoTime();
    provider.close();
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "close did not wait");
    assertTrue(provider.awaitReady(Duration.ofSeconds(1)).isEmpty());
    assertTrue(provider.status().startsWith("failed"), provider.status());
  }

  @Test
  void missingModelFailsWithAReadableReason() {
    ModelSpec absent =
        new ModelSpec(
            "no-such-model", "no-such.onnx", "no-such-tokenizer.json", Pooling.MEAN, 384, 256, "");
    try (EmbeddingProvider provider = new EmbeddingProvider(absent)) {
      Optional<Embedder> embedder = provider.awaitReady(LOAD_TIMEOUT);
      assertTrue(embedder.isEmpty());
      assertTrue(provider.ifReady().isEmpty());
      String status = provider.status();
      assertTrue(status.startsWith("failed: "), status);
      assertTrue(status.contains("no-such-model not on the class path"), status);
    }
  }

  @Test
  void awaitReadyTimesOutWithoutThrowing() {
    try (EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT)) {
      Optional<Embedder> early = provider.awaitReady(Duration.ZERO);
      if (early.isEmpty()) {
        assertEquals("loading", provider.status());
      }
      assertTrue(provider.awaitReady(LOAD_TIMEOUT).isPresent());
    }
  }

  @Test
  void closeReleasesTheModel() {
    EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    Embedder embedder = provider.awaitReady(LOAD_TIMEOUT).orElseThrow();
    provider.close();
    provider.close();
    assertTrue(provider.ifReady().isEmpty());
    assertFalse(provider.status().equals("ready"));
    try {
      embedder.embedQuery("after close");
      throw new AssertionError("a closed embedder should refuse work");
    } catch (IllegalStateException expected) {
      // closed
    }
  }

  private static Thread findThread(String name) throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(name)) {
          return t;
        }
      }
      Thread.sleep(10);
    }
    return null;
  }
}
