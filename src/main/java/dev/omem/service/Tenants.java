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
 * Tenants of {@code omem serve} and their API keys (DESIGN.md decision 6): the id is public, the
 * key is a separate 256-bit secret that is stored only as its SHA-256 hash.
 */
public final class Tenants {
  /** What {@code POST /v1/tenants} answers; the only time the key is ever shown. */
  public record NewTenant(String id, String apiKey, String status) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TenantRepository repo;
  private final Clock clock;

  Tenants(TenantRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  public NewTenant create(String name) {
    String id = UUID.randomUUID().toString();
    String key = newKey();
    repo.insert(id, name, hash(key), clock.instant());
    return new NewTenant(id, key, "active");
  }

  /**
   * The tenant a key belongs to. The lookup is by hash, so the time it takes says nothing about how
   * much of a guessed key was right.
   */
  public Optional<String> authenticate(String key) {
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    return repo.findByKeyHash(hash(key.trim()));
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
