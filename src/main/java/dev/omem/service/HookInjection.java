package dev.omem.service;

import java.time.Instant;

/** A memory a hook showed an agent's session ({@link MemoryService#recentInjections}). */
public record HookInjection(String sessionId, String memoryId, Instant at) {}
