package dev.omem.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's sessions and one-time login codes, in memory: a daemon that restarts signs everyone out
 * (`omem ui` signs in again in one step). A session ends on logout, after {@link #IDLE} without a
 * request, and {@link #MAX_AGE} after sign-in whatever happens.
 */
final class UiSessions {
  /** A login link is opened by the browser `omem ui` starts, within seconds. */
  static final Duration CODE_TTL = Duration.ofSeconds(60);

  /** Idle sessions end as the daemon's own quiet period does (30 minutes), doubled. */
  static final Duration IDLE = Duration.ofHours(1);

  /** A working day; then the user signs in again. */
  static final Duration MAX_AGE = Duration.ofHours(12);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in browser: who, its CSRF token, and its clock. */
  record Session(UiUser user, String csrf, Instant created, Instant lastSeen) {}

  private record Code(UiUser user, Instant expires) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final Clock clock;

  UiSessions(Clock clock) {
    this.clock = clock;
  }

  /** A one-time code that {@link #redeem} turns into a session, once, within {@link #CODE_TTL}. */
  String issueCode(UiUser user) {
    purge();
    String code = secret();
    codes.put(code, new Code(user, clock.instant().plus(CODE_TTL)));
    return code;
  }

  /** The session id of a new session for the code's user; empty if the code is unknown or old. */
  Optional<String> redeem(String code) {
    Code c = code == null ? null : codes.remove(code);
    if (c == null || clock.instant().isAfter(c.expires())) {
      return Optional.empty();
    }
    return Optional.of(open(c.user()));
  }

  /** Starts a session; returns its id (the cookie's value). */
  String open(UiUser user) {
    purge();
    String id = secret();
    Instant now = clock.instant();
    sessions.put(id, new Session(user, secret(), now, now));
    return id;
  }

  /** The live session with this id (its idle clock restarted), or empty. */
  Optional<Session> touch(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    Session fresh = new Session(s.user(), s.csrf(), s.created(), now);
    sessions.put(id, fresh);
    return Optional.of(fresh);
  }

  void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** Compares secrets in constant time. */
  static boolean same(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private boolean expired(Session s, Instant now) {
    return now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.created().plus(MAX_AGE));
  }

  private void purge() {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> expired(s, now));
    codes.values().removeIf(c -> now.isAfter(c.expires()));
  }

  private static String secret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
