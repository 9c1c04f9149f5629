package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.service.AutoShareRuleRequest;
import java.util.List;

/** The body of {@code POST /v1/spaces/{id}/auto-share-rules}. */
public record AutoShareRuleBody(
    @JsonProperty("source_space") String sourceSpace,
    List<String> categories,
    List<String> tags,
    @JsonProperty("min_importance") Double minImportance,
    @JsonProperty("require_approval") Boolean requireApproval) {

  public static AutoShareRuleBody of(AutoShareRuleRequest r) {
    return new AutoShareRuleBody(
        r.sourceSpace(), r.categories(), r.tags(), r.minImportance(), r.requireApproval());
  }

  public AutoShareRuleRequest request() {
    return new AutoShareRuleRequest(sourceSpace, categories, tags, minImportance, requireApproval);
  }
}
