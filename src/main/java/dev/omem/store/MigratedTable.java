package dev.omem.store;

/**
 * One table of a store copied into another backend ({@code omem migrate}): its rows in the source's
 * snapshot and in the target once copied, which the copy has checked are equal.
 *
 * @param table the table's name, the same in both backends
 * @param source rows in the source
 * @param target rows in the target after the copy
 */
public record MigratedTable(String table, long source, long target) {}
