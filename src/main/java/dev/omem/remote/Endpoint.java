package dev.omem.remote;

import java.io.IOException;
import java.util.Optional;

/**
 * Where {@link RemoteMemoryService} sends its calls. A plain remote server is {@link #fixed}; the
 * local daemon's thin client supplies its own, which re-discovers (or restarts) the daemon when a
 * connection is refused.
 */
public interface Endpoint {

  /** The server to call now. */
  RemoteConfig current();

  /**
   * Called once per call when connecting to {@link #current()} failed before any request reached a
   * server (connection refused, unknown host). Returns the endpoint to retry that call with, at
   * most once and whatever its method (the request was never received, so even a POST is safe to
   * send again), or empty when there is nothing new to try.
   */
  Optional<RemoteConfig> reconnect(IOException cause);

  /**
   * Whether writes to this endpoint carry an {@code Idempotency-Key}, and any call that was in
   * flight when the connection broke is sent again (same key) to the endpoint {@link #reconnect}
   * finds: the local daemon's server keeps each keyed write's answer, so a write retried after a
   * kill is applied once. A remote server may not, so by default nothing is resent.
   */
  default boolean resendsInFlight() {
    return false;
  }

  /**
   * Whether every route, {@code /health} too, needs the key (the local daemon's port); a public
   * {@code /health} of a remote server is asked without it, so the key stays home.
   */
  default boolean keyOnEveryRoute() {
    return false;
  }

  /** One server that does not move: nothing to re-discover. */
  static Endpoint fixed(RemoteConfig config) {
    return new Endpoint() {
      @Override
      public RemoteConfig current() {
        return config;
      }

      @Override
      public Optional<RemoteConfig> reconnect(IOException cause) {
        return Optional.empty();
      }

      @Override
      public String toString() {
        return "Endpoint.fixed(" + config.url() + ")";
      }
    };
  }
}
