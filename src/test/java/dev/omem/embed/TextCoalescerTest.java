package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent texts through the real default model, coalesced into shared runs. */
class TextCoalescerTest {

  /**
   * The largest 1 - cosine between a query's vector alone and inside a batch that step 1 measured
   * (1.45e-2 over 576 queries in batches of eight; BENCHMARKS.md session 24), rounded up.
   */
  private static final double NEAR = 0.02;

  private static OnnxEmbedder embedder;
  private static OnnxEmbedder batching; // the same model, texts of one list in one call

  @BeforeAll
  static void load() {
    embedder = OnnxEmbedder.load(ModelCatalog.DEFAULT);
    batching = OnnxEmbedder.load(ModelCatalog.DEFAULT, false);
  }

  @AfterAll
  static void close() {
    embedder.close();
    batching.close();
  }

  private static List<String> queries(int n) {
    List<String> out = new ArrayList<>();
    String[] topics = {"deploy", "tests", "lint", "database", "cache", "auth", "build", "docs"};
    for (int i = 0; i < n; i++) {
      out.add("how do we handle " + topics[i % topics.length] + " in service " + i + "?");
    }
    return out;
  }

  @Test
  void aQueryAloneGetsTheVectorOfItsOwnRunBitForBit() {
    String q = "which region do we deploy to?";
    float[] alone = embedder.embedDocument(ModelCatalog.DEFAULT.queryPrefix() + q);
    assertArrayEquals(alone, embedder.embedQuery(q));
  }

  @Test
  void queriesThatQueueWhileOneRunsShareTheNextRunAndEachGetsItsOwnVector() throws Exception {
    List<String> texts = queries(8);
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch othersQueued = new CountDownLatch(1);
    List<List<String>> together = Collections.synchronizedList(new ArrayList<>());
    TextCoalescer[] holder = new TextCoalescer[1];
    Function<String, float[]> alone =
        t -> {
          if (t.equals(texts.get(0))) {
            firstRunning.countDown();
            await(othersQueued);
          }
          return embedder.embedDocument(t);
        };
    holder[0] =
        new TextCoalescer(
            alone,
            ts -> {
              together.add(List.copyOf(ts));
              return batching.embedDocuments(ts);
            });
    ExecutorService pool = Executors.newFixedThreadPool(texts.size());
    try {
      List<Future<float[]>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> holder[0].embed(texts.get(0))));
      firstRunning.await();
      for (int i = 1; i < texts.size(); i++) {
        String t = texts.get(i);
        answers.add(pool.submit(() -> holder[0].embed(t)));
      }
      while (holder[0].queuedCount() < texts.size() - 1) {
        Thread.onSpinWait();
      }
      othersQueued.countDown();
      List<float[]> expected = batching.embedDocuments(texts.subList(1, texts.size()));
      for (int i = 0; i < texts.size(); i++) {
        float[] v = answers.get(i).get();
        float[] own = embedder.embedDocument(texts.get(i));
        if (i == 0) {
          assertArrayEquals(own, v, "the first ran alone");
        } else {
          assertArrayEquals(expected.get(i - 1), v, "query " + i + ": its row of the shared run");
          assertTrue(1 - dot(own, v) <= NEAR, "query " + i + ": 1 - cos " + (1 - dot(own, v)));
          for (int j = 0; j < texts.size(); j++) {
            if (j != i) {
              float[] other = embedder.embedDocument(texts.get(j));
              assertTrue(dot(own, v) > dot(other, v), "query " + i + " got query " + j + "'s");
            }
          }
        }
      }
      assertEquals(1, together.size(), "the seven queued queries ran in one call");
      assertEquals(texts.size() - 1, together.get(0).size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void manyConcurrentQueriesAndStoresEachGetAVectorNearTheirOwn() throws Exception {
    List<String> texts = queries(96);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<float[]>> answers = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        answers.add(
            pool.submit(
                () -> t.length() % 2 == 0 ? embedder.embedQuery(t) : embedder.embedDocument(t)));
      }
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        String prefix = t.length() % 2 == 0 ? ModelCatalog.DEFAULT.queryPrefix() : "";
        float[] own = embedder.embedDocuments(List.of(prefix + t, "a second text")).get(0);
        float[] v = answers.get(i).get();
        assertEquals(384, v.length);
        assertTrue(1 - dot(own, v) <= NEAR, "query " + i + ": 1 - cos " + (1 - dot(own, v)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTextThatFailsFailsOnlyItsOwnCall() throws Exception {
    List<String> texts = queries(6);
    String bad = texts.get(3);
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch othersQueued = new CountDownLatch(1);
    TextCoalescer[] holder = new TextCoalescer[1];
    // The model cannot be made to fail on one text, so this one text's failure is staged: the
    // real runs, except that any run holding it throws.
    Function<String, float[]> alone =
        t -> {
          if (t.equals(texts.get(0))) {
            firstRunning.countDown();
            await(othersQueued);
          }
          if (t.equals(bad)) {
            throw new IllegalStateException("embedding failed for this text");
          }
          return embedder.embedDocument(t);
        };
    holder[0] =
        new TextCoalescer(
            alone,
            ts -> {
              if (ts.contains(bad)) {
                throw new IllegalStateException("embedding failed for the batch");
              }
              return batching.embedDocuments(ts);
            });
    ExecutorService pool = Executors.newFixedThreadPool(texts.size());
    try {
      List<Future<float[]>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> holder[0].embed(texts.get(0))));
      firstRunning.await();
      for (int i = 1; i < texts.size(); i++) {
        String t = texts.get(i);
        answers.add(pool.submit(() -> holder[0].embed(t)));
      }
      while (holder[0].queuedCount() < texts.size() - 1) {
        Thread.onSpinWait();
      }
      othersQueued.countDown();
      for (int i = 0; i < texts.size(); i++) {
        if (i == 3) {
          int k = i;
          Exception e = assertThrows(Exception.class, () -> answers.get(k).get());
          assertTrue(e.getCause().getMessage().contains("for this text"), e.toString());
        } else {
          assertArrayEquals(embedder.embedDocument(texts.get(i)), answers.get(i).get());
        }
      }
      // The coalescer is not stuck: a later query runs.
      assertArrayEquals(embedder.embedDocument("later"), holder[0].embed("later"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closingWhileTextsWaitForARunEndsEveryCall() throws Exception {
    // A queued caller must not hold what close() waits for while it waits for another's run (a
    // read lock held across the wait hung close() and every caller behind it).
    OnnxEmbedder mine = OnnxEmbedder.load(ModelCatalog.DEFAULT);
    List<String> texts = queries(64);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> calls = new ArrayList<>();
      CountDownLatch started = new CountDownLatch(16);
      for (int i = 0; i < 16; i++) {
        int k = i;
        calls.add(
            pool.submit(
                () -> {
                  started.countDown();
                  for (int j = 0; ; j++) {
                    String t = texts.get((k * 4 + j) % texts.size()) + " " + j;
                    try {
                      if (j % 2 == 0) {
                        mine.embedQuery(t);
                      } else {
                        mine.embedDocument(t);
                      }
                    } catch (IllegalStateException e) {
                      return e.getMessage();
                    }
                  }
                }));
      }
      started.await();
      Thread.sleep(200); // let runs and queues form; the assertion below does not depend on it
      mine.close();
      for (Future<String> c : calls) {
        assertTrue(c.get().contains("closed"), c.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
