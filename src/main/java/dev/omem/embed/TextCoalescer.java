package dev.omem.embed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs concurrent single-text embeddings (a team server's stores and searches) through the model
 * together: a caller that finds no run in flight runs its text alone at once (no timer, no added
 * wait), and a caller that finds one queues its text; when the run ends, the first queued caller
 * runs every queued text (up to {@value #MAX_TOGETHER}) in one call, on its own thread. A text of
 * 10-25 word pieces cost 5.0 ms of thread CPU alone and 3.8 ms in a batch of four (BENCHMARKS.md
 * "Session 24: the model's CPU per text in a batch"). If a batch fails, each of its texts is run
 * alone, so one text's error is its own caller's only. Thread-safe.
 */
final class TextCoalescer {

  /**
   * Most queries in one run: the saving per text flattens past a few (32% at eight, 25% at four),
   * and a larger batch only makes its callers wait for the longest.
   */
  static final int MAX_TOGETHER = 8;

  private final Function<String, float[]> alone;
  private final Function<List<String>, List<float[]>> together;

  private final Object lock = new Object();
  // Guarded by lock: whether a run is in flight, and the callers waiting for the next.
  private boolean running;
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();

  /**
   * @param alone embeds one text in a call of its own
   * @param together embeds texts in one call; same order as given
   */
  TextCoalescer(Function<String, float[]> alone, Function<List<String>, List<float[]>> together) {
    this.alone = alone;
    this.together = together;
  }

  /** A queued text and, once its run ends, its vector or error. */
  private static final class Pending {
    final String text;
    boolean leads; // the run before it handed this caller the next run
    boolean done;
    float[] vector;
    RuntimeException error;

    Pending(String text) {
      this.text = text;
    }
  }

  /** The vector of {@code text}: alone when nothing runs, else in the next run with its peers. */
  float[] embed(String text) {
    Pending mine = new Pending(text);
    List<Pending> batch;
    synchronized (lock) {
      if (!running) {
        running = true;
        batch = List.of(mine);
      } else {
        queued.add(mine);
        boolean interrupted = false;
        while (!mine.done && !mine.leads) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            interrupted = true; // the run in flight will hand on or answer; keep waiting
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        if (mine.done) {
          return result(mine);
        }
        batch = new ArrayList<>();
        batch.add(mine);
        queued.remove(mine);
        while (batch.size() < MAX_TOGETHER && !queued.isEmpty()) {
          batch.add(queued.poll());
        }
      }
    }
    try {
      run(batch);
    } finally {
      synchronized (lock) {
        for (Pending p : batch) {
          if (!p.done) { // an Error ended the run: its members must not wait for ever
            p.error = new IllegalStateException("the embedding was cut short");
            p.done = true;
          }
        }
        Pending next = queued.peek();
        if (next != null) {
          next.leads = true;
        } else {
          running = false;
        }
        lock.notifyAll();
      }
    }
    return result(mine);
  }

  /** Embeds {@code batch} and records each member's vector or error (under the lock). */
  private void run(List<Pending> batch) {
    float[][] vectors = new float[batch.size()][];
    RuntimeException[] errors = new RuntimeException[batch.size()];
    if (batch.size() == 1) {
      try {
        vectors[0] = alone.apply(batch.get(0).text);
      } catch (RuntimeException e) {
        errors[0] = e;
      }
    } else {
      List<String> texts = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        texts.add(p.text);
      }
      try {
        List<float[]> out = together.apply(texts);
        for (int i = 0; i < vectors.length; i++) {
          vectors[i] = out.get(i);
        }
      } catch (RuntimeException e) {
        // Which text failed is unknown: each alone, so only its own caller sees the error.
        for (int i = 0; i < vectors.length; i++) {
          try {
            vectors[i] = alone.apply(texts.get(i));
          } catch (RuntimeException each) {
            errors[i] = each;
          }
        }
      }
    }
    synchronized (lock) {
      for (int i = 0; i < vectors.length; i++) {
        Pending p = batch.get(i);
        p.vector = vectors[i];
        p.error = errors[i];
        p.done = true;
      }
    }
  }

  /** Callers waiting for the next run (a test waits for them to queue). */
  int queuedCount() {
    synchronized (lock) {
      return queued.size();
    }
  }

  private static float[] result(Pending p) {
    if (p.error != null) {
      throw p.error;
    }
    return p.vector;
  }
}
