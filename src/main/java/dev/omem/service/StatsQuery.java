package dev.omem.service;

/**
 * The parameters of ourmem's {@code /v1/stats/{view}} routes; null parts take ourmem's defaults.
 *
 * @param memoryId the memory whose decay curve {@code decay} shows (required there)
 * @param limit tags 20, relations' nodes 100
 * @param minCount tags: the least uses a tag needs to be listed (1)
 * @param days sharing: how many days back (30)
 * @param points decay: days of the curve (90)
 * @param minImportance relations: the least importance of a memory shown (0)
 */
public record StatsQuery(
    String memoryId,
    Integer limit,
    Integer minCount,
    Integer days,
    Integer points,
    Double minImportance) {

  public static final StatsQuery NONE = new StatsQuery(null, null, null, null, null, null);
}
