package dev.omem.remote;

import dev.omem.domain.OmemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a remote omem (or ourmem) server is and how to talk to it.
 *
 * @param url the server's base URL, without a trailing slash; routes are appended to its path (so
 *     {@code https://example.org/omem} serves {@code https://example.org/omem/v1/memories})
 * @param apiKey the secret sent as {@code X-API-Key}; never printed ({@link #toString()} hides it)
 * @param timeout how long one attempt of a call may wait for a byte of the answer, or to send one
 *     (okhttp's read and write timeouts, set per attempt by {@link RetryInterceptor}: a call
 *     timeout would cover the retries too)
 */
public record RemoteConfig(URI url, String apiKey, Duration timeout) {
  public static final String URL_VARIABLE = "OMEM_API_URL";
  public static final String KEY_VARIABLE = "OMEM_API_KEY";
  public static final String TIMEOUT_VARIABLE = "OMEM_API_TIMEOUT_MS";

  /** Ten seconds: a search answers in milliseconds; a smart ingest of many turns takes longer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public RemoteConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(apiKey, "apiKey");
    url = normalise(url, "the omem server URL");
    if (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // It travels in a header: okhttp would refuse it later, with a message naming the value.
      throw OmemException.invalid(
          "the API key (" + KEY_VARIABLE + ") must be printable ASCII without spaces");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw OmemException.invalid("the remote timeout must be positive, got " + timeout);
    }
  }

  /** A server at {@code url} with the default timeout. */
  public static RemoteConfig of(String url, String apiKey) {
    return new RemoteConfig(parseUrl(url, "the omem server URL"), apiKey, DEFAULT_TIMEOUT);
  }

  public RemoteConfig withTimeout(Duration newTimeout) {
    return new RemoteConfig(url, apiKey, newTimeout);
  }

  /**
   * The remote server named by {@code OMEM_API_URL} and {@code OMEM_API_KEY} (and the optional
   * {@code OMEM_API_TIMEOUT_MS}), or empty when neither is set: then omem uses its local store. One
   * without the other is a mistake worth stopping for, not a reason to quietly use the local store.
   */
  public static Optional<RemoteConfig> fromEnvironment(Map<String, String> env) {
    String url = nonBlank(env.get(URL_VARIABLE));
    String key = nonBlank(env.get(KEY_VARIABLE));
    if (url == null && key == null) {
      return Optional.empty();
    }
    if (key == null) {
      throw OmemException.invalid(
          URL_VARIABLE
              + " is set but "
              + KEY_VARIABLE
              + " is not: set both to use a remote omem server, or unset "
              + URL_VARIABLE
              + " to use the local store");
    }
    if (url == null) {
      throw OmemException.invalid(
          KEY_VARIABLE
              + " is set but "
              + URL_VARIABLE
              + " is not: set "
              + URL_VARIABLE
              + " to the server's address (e.g. https://memory.example.org), or unset "
              + KEY_VARIABLE
              + " to use the local store");
    }
    Duration timeout = DEFAULT_TIMEOUT;
    String ms = nonBlank(env.get(TIMEOUT_VARIABLE));
    if (ms != null) {
      long millis;
      try {
        millis = Long.parseLong(ms);
      } catch (NumberFormatException e) {
        millis = -1;
      }
      if (millis <= 0) {
        throw OmemException.invalid(
            TIMEOUT_VARIABLE + " must be a positive number of milliseconds, got '" + ms + "'");
      }
      timeout = Duration.ofMillis(millis);
    }
    URI uri = normalise(parseUrl(url, URL_VARIABLE), URL_VARIABLE);
    return Optional.of(new RemoteConfig(uri, key, timeout));
  }

  private static URI parseUrl(String url, String name) {
    try {
      return new URI(url.trim());
    } catch (URISyntaxException e) {
      throw OmemException.invalid(
          name + " must be an http:// or https:// URL, got '" + url + "': " + e.getReason());
    }
  }

  private static URI normalise(URI url, String name) {
    String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
      throw OmemException.invalid(
          name + " must be an http:// or https:// URL with a host, got '" + url + "'");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw OmemException.invalid(
          name + " must be a base URL without ?query or #fragment, got '" + url + "'");
    }
    String s = url.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Without the key: configs end up in logs and error messages. */
  @Override
  public String toString() {
    return "RemoteConfig[url=" + url + ", apiKey=***, timeout=" + timeout + "]";
  }
}
