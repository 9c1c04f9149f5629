package dev.omem.wire;

import dev.omem.service.StatsQuery;

/** The query of ourmem's {@code GET /v1/stats/{view}} routes. */
public final class StatsParams {
  private StatsParams() {}

  public static StatsQuery read(QueryParams q) {
    return new StatsQuery(
        q.param("memory_id"),
        q.intParam("limit"),
        q.intParam("min_count"),
        q.intParam("days"),
        q.intParam("points"),
        q.doubleParam("min_importance"));
  }
}
