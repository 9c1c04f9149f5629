package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.embed.OnnxEmbedder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One coding-recall project as the probes ({@link PrefixProbe}, {@link TokenClsProbe}) read it: its
 * memories' ids and document vectors, in the file's order.
 */
record ProbeProject(List<String> ids, List<float[]> vectors) {

  static ProbeProject embed(OnnxEmbedder e, JsonNode project) {
    List<String> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode m : project.get("memories")) {
      ids.add(m.get("id").asText());
      vectors.add(e.embedDocuments(List.of(m.get("text").asText())).get(0));
    }
    return new ProbeProject(ids, vectors);
  }

  /** The ids of the memories a prompt's answer is in (empty: the prompt is unanswerable). */
  static Set<String> relevant(JsonNode prompt) {
    Set<String> rel = new HashSet<>();
    prompt.get("relevant").forEach(n -> rel.add(n.asText()));
    return rel;
  }
}
