package dev.omem.domain;

import java.util.List;

/**
 * Who the user is and what they are doing, as ourmem's profile.
 *
 * @param staticFacts stable profile and preference facts, most important first
 * @param dynamicContext recent events, cases and patterns of the caller's project
 */
public record Profile(List<String> staticFacts, List<String> dynamicContext) {}
