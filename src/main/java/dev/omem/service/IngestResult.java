package dev.omem.service;

/**
 * What the fast path of an ingest did: the raw turns it logged and the task that extracts facts
 * from them afterwards (see {@link MemoryService#task}).
 */
public record IngestResult(String taskId, int storedCount) {}
