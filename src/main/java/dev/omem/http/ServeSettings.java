package dev.omem.http;

import java.time.Duration;

/**
 * How {@code omem serve} listens and what it allows.
 *
 * @param host address to bind; loopback unless told otherwise
 * @param port port to bind; 0 picks a free one
 * @param openSignup let anyone create a tenant on a server bound beyond loopback
 * @param adminToken the {@code X-Admin-Token} that creates tenants on such a server, or null
 * @param localToken the local daemon's token, acting as the store's own tenant, or null
 * @param maxBodyBytes requests with a larger body are refused with 413
 * @param requestsPerSecond sustained requests per key and second; 0 turns rate limiting off
 * @param burst requests a key may make at once before the rate applies
 * @param requestTimeout a request running longer is answered 503 {@code unavailable}
 * @param daemon the per-user local daemon: every route, {@code /health} and sign-up included, needs
 *     {@code localToken}, and no tenant key is accepted
 * @param localIdentity what {@code GET /v1/daemon} answers the local token's holder (pid, home,
 *     home id, build), so a client accepts only the daemon of its own home; null: no such route
 * @param ourmemOnly answer as plain ourmem: omem's extension routes, headers and parameters off
 *     ({@link OurmemOnlyFilter}; {@code --ourmem-only}, {@code OMEM_SERVE_EXTENSIONS=off})
 */
public record ServeSettings(
    String host,
    int port,
    boolean openSignup,
    String adminToken,
    String localToken,
    int maxBodyBytes,
    double requestsPerSecond,
    int burst,
    Duration requestTimeout,
    boolean daemon,
    java.util.Map<String, Object> localIdentity,
    boolean ourmemOnly) {

  /** 127.0.0.1:8080, as ourmem's default port; loopback so nothing is exposed by accident. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 8080;

  /** 1 MiB: 500 ingest messages of a couple of KiB each; stored content is capped at 32 KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /**
   * 50 requests per second per key, bursts of 200: an agent makes a few calls a turn and a hook a
   * handful per session, so only a runaway loop or an abusive client reaches it.
   */
  public static final double DEFAULT_REQUESTS_PER_SECOND = 50;

  public static final int DEFAULT_BURST = 200;

  /** 30 s: a search takes milliseconds, an ingest of 500 messages a few seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A team server's settings with every default. */
  public static ServeSettings defaults(String host, int port) {
    return builder(host, port).build();
  }

  /** Settings listening on {@code host:port}; what the builder is not told keeps its default. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** A builder holding these settings, to change a few. */
  public Builder toBuilder() {
    Builder b = new Builder(host, port);
    b.openSignup = openSignup;
    b.adminToken = adminToken;
    b.localToken = localToken;
    b.maxBodyBytes = maxBodyBytes;
    b.requestsPerSecond = requestsPerSecond;
    b.burst = burst;
    b.requestTimeout = requestTimeout;
    b.daemon = daemon;
    b.localIdentity = localIdentity;
    b.ourmemOnly = ourmemOnly;
    return b;
  }

  public ServeSettings withLocalToken(String token) {
    return toBuilder().localToken(token).build();
  }

  /**
   * The local daemon's settings ({@code daemon}: only the local token opens any route) or a team
   * server's that also serves this machine's clients; {@code identity} is what {@code GET
   * /v1/daemon} answers.
   */
  public ServeSettings withLocalOwner(boolean daemon, java.util.Map<String, Object> identity) {
    return toBuilder().daemon(daemon).localIdentity(identity).build();
  }

  /** These settings answering as plain ourmem ({@code ourmemOnly}) or with omem's extensions. */
  public ServeSettings withOurmemOnly(boolean only) {
    return toBuilder().ourmemOnly(only).build();
  }

  /**
   * The one place the settings get their defaults: a team server (not a daemon, no identity route,
   * omem's extensions on), sign-up closed, no admin or local token, the limits above.
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private boolean openSignup;
    private String adminToken;
    private String localToken;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    private int burst = DEFAULT_BURST;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private boolean daemon;
    private java.util.Map<String, Object> localIdentity;
    private boolean ourmemOnly;

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    public Builder openSignup(boolean v) {
      openSignup = v;
      return this;
    }

    public Builder adminToken(String v) {
      adminToken = v;
      return this;
    }

    public Builder localToken(String v) {
      localToken = v;
      return this;
    }

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = v;
      return this;
    }

    /** 0 turns rate limiting off. */
    public Builder requestsPerSecond(double v) {
      requestsPerSecond = v;
      return this;
    }

    public Builder burst(int v) {
      burst = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder daemon(boolean v) {
      daemon = v;
      return this;
    }

    public Builder localIdentity(java.util.Map<String, Object> v) {
      localIdentity = v;
      return this;
    }

    public Builder ourmemOnly(boolean v) {
      ourmemOnly = v;
      return this;
    }

    public ServeSettings build() {
      return new ServeSettings(
          host,
          port,
          openSignup,
          adminToken,
          localToken,
          maxBodyBytes,
          requestsPerSecond,
          burst,
          requestTimeout,
          daemon,
          localIdentity,
          ourmemOnly);
    }
  }

  /** Whether the server listens on loopback only, where sign-up may stay open. */
  public boolean loopbackOnly() {
    return host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost");
  }
}
