package dev.omem.service;

import dev.omem.index.IndexSynchronizer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The Lucene index, opening in the background so that the store answers at once; {@link #get} waits
 * for it, and rethrows what the opening threw.
 */
final class OpeningIndex implements Supplier<IndexSynchronizer> {
  private final CompletableFuture<IndexSynchronizer> opening;

  OpeningIndex(Supplier<IndexSynchronizer> open) {
    this.opening = CompletableFuture.supplyAsync(open);
  }

  @Override
  public IndexSynchronizer get() {
    try {
      return opening.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Done when the index is open (or failed to open): what the model's deferred load waits for. */
  CompletableFuture<IndexSynchronizer> opened() {
    return opening;
  }
}
