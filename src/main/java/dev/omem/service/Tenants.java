package dev.omem.service;

import dev.omem.store.TenantRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenants of {@code omem serve} and their API keys (DESIGN.md decision 6): the id is public, each
 * key a separate 256-bit secret stored only as its SHA-256 hash ({@link ApiKeys}).
 */
public final class Tenants {
  /** What {@code POST /v1/tenants} answers; the only time the key is ever shown. */
  public record NewTenant(String id, String apiKey, String status) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TenantRepository repo;
  private final ApiKeys keys;
  private final Clock clock;

  Tenants(TenantRepository repo, ApiKeys keys, Clock clock) {
    this.repo = repo;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * A new tenant and its first key, named {@code default}. Two transactions: a failure between them
   * leaves a tenant nobody holds a key of, and the caller an error.
   */
  public NewTenant create(String name) {
    String id = UUID.randomUUID().toString();
    repo.insert(id, name, clock.instant());
    return new NewTenant(id, keys.issueFirst(id).secret(), "active");
  }

  /** The tenant's keys (list, create, rotate, revoke), for the routes of {@code omem serve}. */
  public ApiKeys keys() {
    return keys;
  }

  /**
   * The tenant an active key belongs to, without recording a use (a key given where a member's id
   * is expected). Requests authenticate through {@link ApiKeys#authenticate}.
   */
  public Optional<String> authenticate(String key) {
    return keys.tenantOf(key);
  }

  /** A fresh secret: {@code omem_} and 32 random bytes, URL-safe base64. */
  public static String newKey() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "omem_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Whether two secrets are equal, in time that does not depend on where they differ. */
  public static boolean sameSecret(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(digest(a), digest(b));
  }

  static String hash(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
