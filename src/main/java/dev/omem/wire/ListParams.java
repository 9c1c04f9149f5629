package dev.omem.wire;

import dev.omem.service.ListRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query of {@code GET /v1/memories}, both ways (route and remote client). */
public final class ListParams {
  private ListParams() {}

  public static ListRequest read(QueryParams q) {
    return new ListRequest(
        q.intParam("limit"),
        q.intParam("offset"),
        q.param("category"),
        q.listParam("tags"),
        q.param("scope"),
        q.param("state"),
        q.param("memory_type"),
        q.param("sort"),
        q.param("order"),
        q.param("space"),
        ListRequest.Narrowing.tierOnly(q.param("tier")));
  }

  public static Map<String, String> write(ListRequest r) {
    Map<String, String> q = new LinkedHashMap<>();
    SearchParams.put(q, "limit", r.limit());
    SearchParams.put(q, "offset", r.offset());
    SearchParams.put(q, "category", r.category());
    SearchParams.list(q, "tags", r.tags());
    SearchParams.put(q, "scope", r.scope());
    SearchParams.put(q, "state", r.state());
    SearchParams.put(q, "memory_type", r.memoryType());
    SearchParams.put(q, "sort", r.sort());
    SearchParams.put(q, "order", r.order());
    SearchParams.put(q, "space", r.space());
    SearchParams.put(q, "tier", r.tier());
    return q;
  }
}
