package dev.omem.service;

import java.util.List;

/** An auto-share rule to add to a space (ourmem's shape). Null parts do not filter. */
public record AutoShareRuleRequest(
    String sourceSpace,
    List<String> categories,
    List<String> tags,
    Double minImportance,
    Boolean requireApproval) {}
