package dev.omem.store;

/**
 * How busy a store's connection pool is, for {@code /metrics}: connections in use, idle, the most
 * it opens, and callers waiting for one. A store without a pool (SQLite) has none.
 */
public record PoolUse(int active, int idle, int max, int waiting) {}
