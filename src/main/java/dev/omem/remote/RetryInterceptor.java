package dev.omem.remote;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The retry policy of every remote call, as okhttp's application interceptor (the class comment of
 * {@link RemoteHttp} states it): a new address when the connection was refused, a resend of a call
 * cut in flight to the daemon, and backed-off retries of idempotent calls. Each attempt gets the
 * endpoint's timeout for connecting, reading and writing.
 */
final class RetryInterceptor implements Interceptor {
  /** Pauses before the second and third attempt of an idempotent call. */
  static final long[] BACKOFF_MS = {100, 300};

  /**
   * How often a call cut by a broken connection is sent again to a daemon found anew: twice covers
   * a kill and the replacement being killed in turn; beyond that the failure is reported.
   */
  static final int MAX_RESENDS = 2;

  /** A 429 asking to wait longer than this fails at once: a hook must not stall. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(1);

  /** Builds the okhttp request of a call for one server (its URL and key). */
  interface Requests {
    Request build(RemoteConfig server, RemoteRequest r);
  }

  private final Endpoint endpoint;
  private final Requests requests;

  RetryInterceptor(Endpoint endpoint, Requests requests) {
    this.endpoint = endpoint;
    this.requests = requests;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    RemoteRequest r = chain.request().tag(RemoteRequest.class);
    if (r == null) {
      return chain.proceed(chain.request());
    }
    Request request = chain.request();
    boolean resend = endpoint.resendsInFlight();
    boolean reconnected = false;
    int resent = 0;
    int retries = 0;
    while (true) {
      Response answer;
      try {
        answer = timed(chain, r).proceed(request);
      } catch (IOException e) {
        Optional<RemoteConfig> next = Optional.empty();
        if (RemoteErrors.neverReachedServer(e) && !reconnected) {
          next = endpoint.reconnect(e);
          reconnected = next.isPresent();
        }
        if (next.isEmpty() && resend && resent < MAX_RESENDS) {
          // In flight when the daemon died (or stalled): the same call, same key, to the daemon
          // the endpoint finds or starts now; a write it already applied is answered, not redone.
          next = endpoint.reconnect(e);
          resent += next.isPresent() ? 1 : 0;
        }
        if (next.isPresent()) {
          r.server = next.get();
          request = requests.build(r.server, r);
          continue;
        }
        if (r.idempotent() && retries < BACKOFF_MS.length) {
          pause(BACKOFF_MS[retries++], r.server, e);
          continue;
        }
        throw e;
      }
      if (r.idempotent() && retries < BACKOFF_MS.length) {
        int s = answer.code();
        Duration wait =
            s == 502 || s == 503 || s == 504
                ? Duration.ofMillis(BACKOFF_MS[retries])
                : s == 429 ? RemoteErrors.retryAfter(answer.header("Retry-After")) : null;
        if (wait != null && (s != 429 || wait.compareTo(MAX_RETRY_AFTER) <= 0)) {
          answer.close();
          retries++;
          pause(wait.toMillis(), r.server, null);
          continue;
        }
      }
      return answer;
    }
  }

  /**
   * An import's upload is answered once the server has the whole file and has checked it, which
   * takes minutes for a large file on a busy machine: it waits as long as the server allows it.
   */
  static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);

  private static Chain timed(Chain chain, RemoteRequest r) {
    Duration t = r.upload != null ? UPLOAD_TIMEOUT : r.server.timeout();
    int ms = (int) Math.min(Integer.MAX_VALUE, t.toMillis());
    return chain
        .withReadTimeout(ms, TimeUnit.MILLISECONDS)
        .withWriteTimeout(ms, TimeUnit.MILLISECONDS);
  }

  private static void pause(long millis, RemoteConfig server, IOException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new OmemException(
          ErrorCode.UNAVAILABLE,
          "interrupted while waiting to retry a call to the omem server at " + server.url(),
          cause);
    }
  }
}
