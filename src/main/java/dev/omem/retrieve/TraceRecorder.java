package dev.omem.retrieve;

import dev.omem.domain.SearchTrace;
import dev.omem.domain.TraceStage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Times the stages of one search and collects their trace entries. */
final class TraceRecorder {
  private final long start = System.nanoTime();
  private final List<TraceStage> stages = new ArrayList<>();
  private long lastNanos;

  /** Runs {@code work} and remembers how long it took, for the next {@link #stage} call. */
  <T> T time(Supplier<T> work) {
    long t0 = System.nanoTime();
    T out = work.get();
    lastNanos = System.nanoTime() - t0;
    return out;
  }

  void stage(String name, int in, int out, double[] range, String note) {
    double ms = RetrievalPipeline.round(lastNanos / 1e6);
    stages.add(
        new TraceStage(name, in, out, ms, range == null ? new double[] {0, 0} : range, note));
    lastNanos = 0;
  }

  SearchTrace finish(int finalCount, String mode) {
    double total = RetrievalPipeline.round((System.nanoTime() - start) / 1e6);
    return new SearchTrace(List.copyOf(stages), total, finalCount, mode);
  }
}
