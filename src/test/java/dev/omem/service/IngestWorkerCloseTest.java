package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.store.jdbc.JdbcIngestTaskRepository;
import dev.omem.store.sqlite.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that opens the store and closes it at once (`omem get nope`) stops the ingest worker
 * while its first read still waits for a connection. That stop is not a fault: it must print
 * nothing, since the CLI's error is one line on stderr (CI caught a stray warning there).
 */
class IngestWorkerCloseTest {
  @TempDir Path dir;

  @Test
  void closingWhileTheFirstReadWaitsPrintsNothing() throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CountDownLatch held = new CountDownLatch(4);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> holders = new ArrayList<>();
    try (Database db = Database.open(dir)) {
      // Every reader connection is taken, so the worker's first read waits.
      for (int i = 0; i < 4; i++) {
        Thread t =
            new Thread(
                () ->
                    db.read(
                        c -> {
                          held.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return null;
                        }));
        t.start();
        holders.add(t);
      }
      assertTrue(held.await(10, TimeUnit.SECONDS));
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      IngestWorker worker =
          new IngestWorker(
              new JdbcIngestTaskRepository(db), (id, stopping) -> {}, Clock.systemUTC(), false);
      worker.start();
      Thread ingest = awaitWaitingIngestThread();
      worker.close();
      assertFalse(ingest.isAlive(), "the worker stopped");
      release.countDown();
      for (Thread t : holders) {
        t.join(10_000);
      }
    } finally {
      release.countDown();
      System.setErr(stderr);
    }
    assertEquals("", printed.toString(StandardCharsets.UTF_8));
  }

  /** The worker's thread once it waits inside its first read. */
  private static Thread awaitWaitingIngestThread() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (var e : Thread.getAllStackTraces().entrySet()) {
        boolean inFirstRead =
            Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("releaseOrphans"));
        if (e.getKey().getName().equals("omem-ingest")
            && inFirstRead
            && e.getKey().getState() == Thread.State.WAITING) {
          return e.getKey();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the ingest worker never waited in its first read");
  }
}
