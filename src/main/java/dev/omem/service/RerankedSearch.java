package dev.omem.service;

import dev.omem.domain.ChatModel;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.ingest.Redactor;
import dev.omem.retrieve.ModelReranker;
import dev.omem.retrieve.Reranker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional reranking of a search by a language model (issue 13, {@code OMEM_RERANK}): the
 * search's {@value #CANDIDATES} closest memories, whatever their relevance score, go to the model
 * with the query, both redacted as everything that leaves the machine is; its answer decides which
 * are returned and in what order. Without a usable answer in time (a timeout, the token budget, a
 * refused sampling request, a malformed answer) the LLM-free search is returned whole, and its
 * {@link SearchOutcome.Rerank} note says why.
 *
 * <p>A flagged memory (the injection screen's) is never shown to the model: its text is the kind
 * that tries to steer a model. A search keeps it where the LLM-free ranking put it, after the
 * model's choices; the hooks never inject it either way.
 *
 * <p>Used by the local service (the configured LLM, or the client's model when the MCP face
 * attached one) and by the thin client of the daemon (the client's model, reachable only in the
 * process that holds the MCP session). Each search is reranked once: the thin client asks the
 * server for its candidates, and a search that asks for them is not reranked by the server.
 */
public final class RerankedSearch {
  private static final Logger LOG = LoggerFactory.getLogger(RerankedSearch.class);

  /**
   * The model sees the ten closest memories: the hook's candidates ({@code PromptInjection}) and
   * {@code memory_search}'s default limit. Where the LLM-free ranking misses, the right memory is
   * mostly within them (issue 13: first for 19 of 25 held-out prompts), and ten keep the prompt
   * near 1,500 tokens. Not tuned.
   */
  public static final int CANDIDATES = Limits.DEFAULT_SEARCH_LIMIT;

  /**
   * How long an explicit search waits on the model: small hosted models answer a 1,500-token prompt
   * with a 30-token JSON object in about a second; eight leave room for a slow one and for a client
   * that asks its user to approve a sampling request, well inside an MCP client's 60 s. An estimate
   * from published latencies, not a measurement.
   */
  public static final Duration SEARCH_WAIT = Duration.ofSeconds(8);

  /** The reranking with omem's configured LLM, when {@code OMEM_RERANK=llm}; none without one. */
  private final Optional<Reranker> configured;

  /**
   * @param llm the configured LLM to rerank with, present only when the user chose {@code
   *     OMEM_RERANK=llm} and configured one
   */
  public RerankedSearch(Optional<ChatModel> llm) {
    this.configured = llm.map(ModelReranker::new);
  }

  /** No configured LLM: only a request's client model reranks. */
  public static RerankedSearch clientModelOnly() {
    return new RerankedSearch(Optional.empty());
  }

  /**
   * {@code r} searched by {@code search} (the LLM-free search), then reranked by the configured LLM
   * or by the request's client model when there is one; else {@code search}'s answer as it is. A
   * request that asks for candidates is reranked by its caller (a thin client with its MCP client's
   * model), never here too: one model per search.
   */
  public SearchOutcome search(SearchRequest r, Function<SearchRequest, SearchOutcome> search) {
    if (r.candidates() > 0) {
      return search.apply(r);
    }
    if (configured.isPresent()) {
      return run(r, search, configured.get(), "llm");
    }
    if (r.clientModel() != null) {
      return run(r, search, new ModelReranker(r.clientModel()), "sampling");
    }
    return search.apply(r);
  }

  /**
   * One search (the plain answer and its {@value #CANDIDATES} closest whatever their score, from
   * one retrieval: {@link SearchRequest#candidates}), the closest judged by {@code reranker}.
   */
  static SearchOutcome run(
      SearchRequest r,
      Function<SearchRequest, SearchOutcome> search,
      Reranker reranker,
      String by) {
    SearchOutcome both =
        search.apply(
            SearchRequest.Builder.from(r).clientModel(null).candidates(CANDIDATES).build());
    SearchOutcome plain =
        new SearchOutcome(both.results(), both.trace(), both.reason(), null, null);
    if (both.candidates() == null) { // a server from before candidates ignores the parameter
      return plain.withRerank(
          new SearchOutcome.Rerank(by, false, "the server sent no candidates to rerank"));
    }
    List<ScoredMemory> shown =
        both.candidates().stream().filter(s -> !s.memory().flagged()).toList();
    if (shown.isEmpty()) {
      return plain.withRerank(new SearchOutcome.Rerank(by, false, "no memory to rerank"));
    }
    Reranker.Verdict v =
        reranker.rerank(
            Redactor.clean(r.query()),
            shown.stream().map(s -> Redactor.clean(s.memory().content())).toList(),
            r.rerankWait() == null ? SEARCH_WAIT : r.rerankWait());
    if (!v.ok()) {
      LOG.info("rerank by {} not used: {}", by, v.failure());
      return plain.withRerank(
          new SearchOutcome.Rerank(
              by, false, v.failure() + "; these are the search's own results, nothing is lost"));
    }
    int limit = r.limit() == null ? Limits.DEFAULT_SEARCH_LIMIT : r.limit();
    List<ScoredMemory> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i : v.chosen()) {
      if (out.size() < limit && ids.add(shown.get(i).memory().id())) {
        out.add(shown.get(i));
      }
    }
    for (ScoredMemory s : plain.results()) { // never shown to the model: the search decided
      if (s.memory().flagged() && out.size() < limit && ids.add(s.memory().id())) {
        out.add(s);
      }
    }
    String note = "the model kept " + v.chosen().size() + " of the " + shown.size() + " closest";
    return new SearchOutcome(
        out,
        plain.trace(),
        out.isEmpty()
            ? "The model asked (" + by + ") judged none of the closest memories relevant."
            : null,
        new SearchOutcome.Rerank(by, true, note),
        null);
  }
}
