package dev.omem.http;

import dev.omem.domain.ApiKeyJson;
import dev.omem.service.KeyService;
import java.util.Map;

/**
 * The caller's API keys (*extension*, docs/rest-api.md "API keys"): list, create, rotate, revoke. A
 * secret is in the answers of create and rotate only.
 */
final class KeyRoutes {
  private final KeyService keys;

  KeyRoutes(KeyService keys) {
    this.keys = keys;
  }

  void register(Router r) {
    r.add("GET", "/v1/keys", this::list)
        .add("POST", "/v1/keys", this::create)
        .add("POST", "/v1/keys/{id}/rotate", this::rotate)
        .add("DELETE", "/v1/keys/{id}", this::revoke);
  }

  private Reply list(ApiRequest req) {
    return Reply.ok(Map.of("keys", keys.list(req.caller()).stream().map(ApiKeyJson::of).toList()));
  }

  private Reply create(ApiRequest req) {
    String name = ApiRequest.text(req.object(), "name");
    return Reply.created(ApiKeyJson.of(keys.create(req.caller(), name)));
  }

  private Reply rotate(ApiRequest req) {
    return Reply.ok(ApiKeyJson.of(keys.rotate(req.caller(), req.path("id"))));
  }

  private Reply revoke(ApiRequest req) {
    return Reply.ok(ApiKeyJson.of(keys.revoke(req.caller(), req.path("id"))));
  }
}
