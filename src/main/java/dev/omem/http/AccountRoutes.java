package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.service.MemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.Tenants;
import dev.omem.wire.StatsParams;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health, sign-up, profile and stats: the routes around the memories themselves. */
final class AccountRoutes {
  private final MemoryService service;
  private final Tenants tenants;
  private final ServeSettings settings;
  private final String version;

  AccountRoutes(MemoryService service, Tenants tenants, ServeSettings settings, String version) {
    this.service = service;
    this.tenants = tenants;
    this.settings = settings;
    this.version = version;
  }

  void register(Router r) {
    r.add("GET", "/health", req -> Reply.ok(Map.of("status", "ok", "version", version)))
        .add("POST", "/v1/tenants", this::createTenant)
        // omem's extension: which daemon this is, for its local clients (DaemonLauncher)
        .add("GET", "/v1/daemon", this::daemon)
        .add("GET", "/v1/profile", this::profile)
        .add("GET", "/v1/stats", req -> Reply.ok(service.stats(req.caller())))
        .add(
            "GET",
            "/v1/stats/{view}",
            req ->
                Reply.ok(service.statsView(req.caller(), req.path("view"), StatsParams.read(req))))
        // omem's extension: one lifecycle pass over the caller's memories (omem decay)
        .add("POST", "/v1/decay", req -> Reply.ok(service.decay(req.caller()).toJson()))
        // omem's extension: a consistent snapshot of the store, for the server's owner (omem
        // backup)
        .add("POST", "/v1/backups", this::backup);
  }

  private Reply backup(ApiRequest req) {
    JsonNode body = req.body();
    String file = null;
    if (body.isObject()) {
      file = ApiRequest.text(body, "file");
    } else if (!body.isMissingNode()) {
      throw OmemException.invalid(
          "the request body must be a JSON object such as {\"file\": \"/abs/path.db\"} or {}");
    }
    return Reply.created(service.backup(req.caller(), file).toJson());
  }

  /**
   * Open on a loopback-bound server, as in ourmem; elsewhere only with the admin token or {@code
   * --open-signup}, so a public server is not an open sign-up.
   */
  private Reply createTenant(ApiRequest req) {
    if (!settings.loopbackOnly() && !settings.openSignup()) {
      String token = req.header("X-Admin-Token");
      if (settings.adminToken() == null || !Tenants.sameSecret(token, settings.adminToken())) {
        throw new OmemException(
            ErrorCode.UNAUTHORIZED,
            "creating a tenant on this server needs the X-Admin-Token header (OMEM_ADMIN_TOKEN)");
      }
    }
    String name = null;
    JsonNode body = req.body();
    if (body.isObject()) {
      name = ApiRequest.text(body, "name");
    } else if (!body.isMissingNode()) {
      throw OmemException.invalid(
          "the request body must be a JSON object such as {\"name\": \"me\"}");
    }
    Tenants.NewTenant t = tenants.create(name);
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", t.id());
    j.put("api_key", t.apiKey());
    j.put("status", t.status());
    return Reply.created(j);
  }

  /**
   * The pid, home and home id of the server, for the local token's holder only: a client checks
   * that the daemon it found serves its own home. Anyone else is told there is no such route.
   */
  private Reply daemon(ApiRequest req) {
    if (settings.localIdentity() == null || req.caller().tenantId() != null) {
      throw new OmemException(ErrorCode.NOT_FOUND, "no route GET /v1/daemon");
    }
    return Reply.ok(settings.localIdentity());
  }

  private Reply profile(ApiRequest req) {
    Profile p = service.profile(req.caller());
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("static_facts", p.staticFacts());
    j.put("dynamic_context", p.dynamicContext());
    String q = req.param("q");
    j.put(
        "search_results",
        q == null
            ? null
            : MemoryJson.restResults(service.search(req.caller(), SearchRequest.of(q)).results()));
    return Reply.ok(j);
  }
}
