package dev.omem.service;

import java.util.List;

/** What an ingest stored. */
public record IngestResult(int storedCount, List<String> memoryIds) {}
