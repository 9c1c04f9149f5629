package dev.omem.wire;

import dev.omem.service.ListRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query of {@code GET /v1/memories}, both ways (route and remote client). */
public final class ListParams {
  private ListParams() {}

  public static ListRequest read(QueryParams q) {
    return ListRequest.builder()
        .limit(q.intParam("limit"))
        .offset(q.intParam("offset"))
        .category(q.param("category"))
        .tags(q.listParam("tags"))
        .scope(q.param("scope"))
        .state(q.param("state"))
        .memoryType(q.param("memory_type"))
        .sort(q.param("sort"))
        .order(q.param("order"))
        .space(q.param("space"))
        .narrowing(ListRequest.Narrowing.tierOnly(q.param("tier")))
        .build();
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
