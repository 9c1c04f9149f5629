package dev.omem.store;

import java.time.Instant;
import java.util.Optional;

/** The answers of keyed writes ({@code Idempotency-Key}), per owner and key. */
public interface IdempotencyRepository {
  /** One stored answer: the request it answered ({@code POST /v1/memories}), status and body. */
  record Answer(String request, int status, byte[] body) {}

  Optional<Answer> find(String owner, String key);

  void put(String owner, String key, Answer a, Instant at);

  /** Forgets the answers stored before {@code cutoff}; returns how many. */
  int purgeBefore(Instant cutoff);
}
