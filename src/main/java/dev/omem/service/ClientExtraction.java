package dev.omem.service;

import dev.omem.domain.ChatModel;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.LlmExtractor;
import dev.omem.ingest.LocalRulesExtractor;
import java.util.List;

/**
 * Smart extraction by the connected MCP client's own model (sampling), done in the process that
 * holds the client's MCP session, because the model answers only over that session: the local
 * service does it inside {@code ingest}; the daemon's thin client does it before it sends the facts
 * to the daemon (docs/rest-api.md, the {@code facts} extension). Both show the model the turns
 * exactly as the server keeps them, validated and redacted by {@link IngestValidation}, so nothing
 * private reaches it; when it gives no valid answer, the local rules extract.
 */
public final class ClientExtraction {
  private ClientExtraction() {}

  /**
   * {@code r} with {@code facts} extracted by its client model and without the model, when it asks
   * for that (a client model, smart mode, no facts given); else {@code r} unchanged. Throws the
   * service's own validation errors for bad messages or mode.
   */
  public static IngestRequest withFacts(IngestRequest r) {
    if (r.clientModel() == null || r.facts() != null) {
      return r;
    }
    String mode = IngestValidation.mode(r);
    if (!mode.equals("smart")) {
      return new IngestRequest(r.messages(), r.mode());
    }
    List<IngestRequest.Fact> facts =
        extract(r.clientModel(), IngestValidation.turns(r)).stream()
            .map(
                f ->
                    new IngestRequest.Fact(
                        f.text(), f.category().wire(), f.tags(), f.importance(), f.confidence()))
            .toList();
    return new IngestRequest(r.messages(), r.mode(), null, facts);
  }

  /** The facts of already redacted {@code turns}: the model's, else the local rules'. */
  static List<FactExtractor.Fact> extract(ChatModel model, List<FactExtractor.Turn> turns) {
    return new LlmExtractor(model, new LocalRulesExtractor()).extract(turns);
  }
}
