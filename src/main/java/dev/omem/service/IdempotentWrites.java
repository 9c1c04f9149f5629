package dev.omem.service;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.IdempotencyRepository;
import dev.omem.store.IdempotencyRepository.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Writes sent with an idempotency key are applied once: the first answer is kept for {@link
 * #RETENTION} and a retry with the same key gets it again instead of writing again. A retry that
 * arrives while the first is still running waits for it. The thin client of the local daemon keys
 * every write and resends a write that was in flight when the daemon died, to the next one.
 *
 * <p>What remains: a daemon killed between a write's commit and the storing of its answer applied
 * the write but kept no answer; the retry then runs again. A store of the same text is then
 * answered with the memory already stored (exact duplicates are never stored twice), so stores
 * still land once.
 */
public final class IdempotentWrites {
  /** A day: far beyond any retry (a client retries within seconds of a restart). */
  public static final Duration RETENTION = Duration.ofHours(24);

  /** The longest key accepted; a UUID is 36 characters. */
  public static final int MAX_KEY_LENGTH = 200;

  private final IdempotencyRepository repo;
  private final Clock clock;
  private final Map<String, CompletableFuture<Answer>> running = new ConcurrentHashMap<>();
  private volatile Instant lastPurge = Instant.EPOCH;

  public IdempotentWrites(IdempotencyRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** An answer as kept: the request it answered, its status and body. */
  public record Reply(int status, byte[] body) {}

  /**
   * The answer to {@code request} under {@code key}: the kept one, the one of the same request
   * still running, or {@code work}'s (kept when it succeeded: a failure may be retried).
   */
  public Reply once(Caller caller, String key, String request, Supplier<Reply> work) {
    if (key.length() > MAX_KEY_LENGTH) {
      throw OmemException.invalid(
          "the Idempotency-Key is " + key.length() + " characters; the limit is " + MAX_KEY_LENGTH);
    }
    String owner = caller.tenantId() == null ? "local" : "tenant:" + caller.tenantId();
    String slot = owner + "\n" + key;
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> other = running.putIfAbsent(slot, mine);
    if (other != null) {
      return reply(request, join(other));
    }
    try {
      Optional<Answer> kept = repo.find(owner, key);
      if (kept.isPresent()) {
        mine.complete(kept.get());
        return reply(request, kept.get());
      }
      Reply r = work.get();
      Answer a = new Answer(request, r.status(), r.body());
      if (r.status() < 300) {
        purgeNowAndThen();
        repo.put(owner, key, a, clock.instant());
      }
      mine.complete(a);
      return r;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(slot, mine);
    }
  }

  private static Reply reply(String request, Answer a) {
    if (!a.request().equals(request)) {
      throw new OmemException(
          ErrorCode.CONFLICT,
          "this Idempotency-Key was used for " + a.request() + "; use a new key for " + request);
    }
    return new Reply(a.status(), a.body());
  }

  private static Answer join(CompletableFuture<Answer> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** At most once an hour: old answers are dropped. */
  private void purgeNowAndThen() {
    Instant now = clock.instant();
    if (Duration.between(lastPurge, now).toHours() >= 1) {
      lastPurge = now;
      repo.purgeBefore(now.minus(RETENTION));
    }
  }
}
