package dev.omem.store;

/** One entry of the change log: memory {@code memoryId} changed; its row holds the new state. */
public record Change(long seq, String memoryId) {}
