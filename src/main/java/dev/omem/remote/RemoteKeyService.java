package dev.omem.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.ApiKey;
import dev.omem.domain.ApiKeyJson;
import dev.omem.service.Caller;
import dev.omem.service.KeyService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API keys of the tenant whose key {@link RemoteConfig} holds, on a remote {@code omem serve}:
 * one route of docs/rest-api.md "API keys" per call. Errors come back as the server's ({@link
 * RemoteHttp}); rotate is a POST and never retried, so a lost answer cannot rotate twice.
 */
public final class RemoteKeyService implements KeyService {
  private final RemoteHttp http;

  public RemoteKeyService(RemoteConfig config) {
    this.http = new RemoteHttp(Endpoint.fixed(config));
  }

  @Override
  public List<ApiKey> list(Caller caller) {
    JsonNode j = http.send(RemoteRequest.get("v1", "keys").caller(caller));
    List<ApiKey> out = new ArrayList<>();
    j.path("keys").forEach(k -> out.add(ApiKeyJson.read(k)));
    return out;
  }

  @Override
  public ApiKey.Issued create(Caller caller, String name) {
    return ApiKeyJson.readIssued(
        http.send(
            RemoteRequest.post("v1", "keys")
                .caller(caller)
                .body(java.util.Collections.singletonMap("name", name))));
  }

  @Override
  public ApiKey.Issued rotate(Caller caller, String keyId) {
    return ApiKeyJson.readIssued(
        http.send(RemoteRequest.post("v1", "keys", keyId, "rotate").caller(caller).body(Map.of())));
  }

  @Override
  public ApiKey revoke(Caller caller, String keyId) {
    return ApiKeyJson.read(http.send(RemoteRequest.delete("v1", "keys", keyId).caller(caller)));
  }

  @Override
  public void close() {
    http.close();
  }
}
