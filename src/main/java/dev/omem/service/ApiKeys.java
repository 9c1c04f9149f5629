package dev.omem.service;

import dev.omem.domain.ApiKey;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.store.KeyRepository;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' API keys over the local store: checks names, issues and hashes secrets ({@link
 * Tenants#newKey}, SHA-256), and answers who holds a key on every request (no cache, so a rotated
 * or revoked secret is refused on the very next request).
 */
public final class ApiKeys implements KeyService {
  /** Who holds an active key. */
  public record Holder(String keyId, String tenantId) {}

  /** The name of the key a tenant gets at sign-up (and of keys made before names existed). */
  static final String FIRST_KEY_NAME = "default";

  /** Long enough for "ci-runner on build-host-17 (staging)", short enough for a table column. */
  static final int MAX_NAME_LENGTH = 64;

  /**
   * Active keys per tenant: one per machine and agent of a team fits many times over, and it bounds
   * what one tenant can make the table hold.
   */
  static final int MAX_ACTIVE_KEYS = 50;

  /**
   * {@code omem_} and 7 characters of the secret (42 of its 256 bits): enough to tell a tenant's
   * keys apart at a glance, far too few to help a guess.
   */
  static final int PREFIX_LENGTH = 12;

  /**
   * {@code last_used_at} is written at most this often per key: a write per request would not be.
   */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** Letters and digits first, then also spaces and . _ : @ ' ( ) - ("Zoë's laptop (work)"). */
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:@'()-]*");

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
  private static final Pattern ID = Pattern.compile("key_[0-9a-f]{24}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyRepository repo;
  private final Clock clock;

  ApiKeys(KeyRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /**
   * The active key this secret is, of an active tenant, and records its use. Looked up by hash, so
   * the time it takes says nothing about how much of a guessed secret was right.
   */
  public Optional<Holder> authenticate(String secret) {
    if (secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    Optional<KeyRepository.Holder> h = repo.findActive(Tenants.hash(secret.trim()));
    h.ifPresent(
        k -> {
          Instant now = now();
          if (k.lastUsedAt() == null || k.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            try {
              repo.touch(k.keyId(), now);
            } catch (RuntimeException e) {
              // A bookkeeping write that failed (a full disk) must not refuse a valid key.
              LOG.warn("could not record the use of API key {}: {}", k.keyId(), e.toString());
            }
          }
        });
    return h.map(k -> new Holder(k.keyId(), k.tenantId()));
  }

  /** The tenant whose active key this is, without recording a use (a member reference). */
  Optional<String> tenantOf(String secret) {
    if (secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    return repo.findActive(Tenants.hash(secret.trim())).map(KeyRepository.Holder::tenantId);
  }

  /** The first key of a new tenant. */
  ApiKey.Issued issueFirst(String tenantId) {
    return issue(tenantId, FIRST_KEY_NAME);
  }

  @Override
  public List<ApiKey> list(Caller caller) {
    return repo.list(tenant(caller));
  }

  @Override
  public ApiKey.Issued create(Caller caller, String name) {
    String tenant = tenant(caller);
    return issue(tenant, name(name));
  }

  @Override
  public ApiKey.Issued rotate(Caller caller, String keyId) {
    String tenant = tenant(caller);
    String id = id(keyId);
    String secret = Tenants.newKey();
    KeyRepository.Outcome o = repo.rotate(tenant, id, Tenants.hash(secret), prefix(secret), now());
    switch (o) {
      case DONE -> {
        return new ApiKey.Issued(found(tenant, id), secret);
      }
      case REVOKED ->
          throw new OmemException(
              ErrorCode.CONFLICT, "API key " + id + " is revoked; create a new key instead");
      default -> throw missing(id);
    }
  }

  @Override
  public ApiKey revoke(Caller caller, String keyId) {
    String tenant = tenant(caller);
    String id = id(keyId);
    switch (repo.revoke(tenant, id, now())) {
      case DONE -> {
        return found(tenant, id);
      }
      case LAST_KEY ->
          throw new OmemException(
              ErrorCode.CONFLICT,
              "API key "
                  + id
                  + " is this tenant's last active key; create another key first, so that the"
                  + " tenant is not locked out");
      default -> throw missing(id);
    }
  }

  private ApiKey.Issued issue(String tenant, String name) {
    String secret = Tenants.newKey();
    ApiKey key = new ApiKey(newId(), name, prefix(secret), now(), null, null, null);
    switch (repo.insert(tenant, key, Tenants.hash(secret), MAX_ACTIVE_KEYS)) {
      case DONE -> {
        return new ApiKey.Issued(key, secret);
      }
      case NAME_TAKEN ->
          throw new OmemException(
              ErrorCode.CONFLICT,
              "an active API key is already named '" + name + "'; names tell keys apart");
      case TOO_MANY ->
          throw new OmemException(
              ErrorCode.CONFLICT,
              "a tenant holds at most " + MAX_ACTIVE_KEYS + " active API keys; revoke one first");
      default -> throw new IllegalStateException("unexpected outcome of a key insert");
    }
  }

  private ApiKey found(String tenant, String id) {
    return repo.find(tenant, id).orElseThrow(() -> missing(id));
  }

  /** The same answer for a key that does not exist and another tenant's key. */
  private static OmemException missing(String id) {
    return OmemException.notFound("no API key " + id);
  }

  private static String tenant(Caller caller) {
    if (caller.tenantId() == null) {
      throw OmemException.forbidden(
          "the local daemon's token is not a tenant's key: API keys belong to tenants of omem"
              + " serve (sign up with POST /v1/tenants)");
    }
    return caller.tenantId();
  }

  /** A key's name: trimmed, 1 to 64 letters, digits, spaces and {@code ._:@'()-}. */
  static String name(String name) {
    if (name == null || name.isBlank()) {
      throw OmemException.invalid("name is required: a few words saying where the key is used");
    }
    // Composed form, so "Zoë" typed on any system is one name, and passes as letters.
    String n = Normalizer.normalize(name.strip(), Normalizer.Form.NFC);
    if (n.length() > MAX_NAME_LENGTH) {
      throw OmemException.invalid(
          "name is " + n.length() + " characters; the limit is " + MAX_NAME_LENGTH);
    }
    if (!NAME.matcher(n).matches()) {
      throw OmemException.invalid(
          "name may hold letters, digits, spaces and . _ : @ ' ( ) - only, starting with a"
              + " letter or digit");
    }
    return n;
  }

  private static String id(String keyId) {
    if (keyId == null || keyId.isBlank()) {
      throw OmemException.invalid("a key id is required (omem keys list shows them)");
    }
    String id = keyId.trim();
    if (!ID.matcher(id).matches()) {
      String shown = id.length() > 40 ? id.substring(0, 40) + "…" : id;
      throw OmemException.invalid(
          "'"
              + shown
              + "' is not a key id: key ids look like key_0123…; omem keys list shows them");
    }
    return id;
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "key_" + HexFormat.of().formatHex(b);
  }

  private static String prefix(String secret) {
    return secret.substring(0, PREFIX_LENGTH);
  }

  /** To the millisecond the store keeps, so an answer shows what a later list will. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
