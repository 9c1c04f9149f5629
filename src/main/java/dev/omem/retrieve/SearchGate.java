package dev.omem.retrieve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a {@code memory_search} that names no {@code min_score} decides (issue 13, session 18's sixth
 * candidate, docs/relevance/threshold-rule.md): it answers only when the answer/abstain model's
 * probability is at least {@code gateThreshold}, and then returns the memories whose pair
 * probability reaches {@code pairThreshold}. Since session 22 that model is {@link SearchGateJoint}
 * (the query's style and its candidates' evidence in one regression); a file without its lines is
 * decided by sessions 18-21's query-style gate. Every candidate keeps its one score, the shipped
 * product of session 11's gate factor and the pair probability ({@link RelevanceModel}); this
 * decision only sets the query's floor on it ({@link #floor}; session 20). The gate and both
 * thresholds come from {@value #RESOURCE} (its header says how they were fitted); {@code
 * OMEM_SEARCH_GATE_WEIGHTS} names another file, and the word {@code none} there turns the decision
 * off (benchmarks of the older product floor).
 *
 * @param gate the query-style gate ({@link RelevanceGate#NONE}: the decision is off unless {@code
 *     joint} is set)
 * @param joint session 22's joint answer/abstain model, which decides in the gate's place when set
 *     (null: the gate decides); {@code gateThreshold} is then the bar on its probability
 * @param gateThreshold the gate probability a query needs before a search answers at all
 * @param pairThreshold the pair probability a memory then needs
 * @param minCandidates the fewest candidates the gate decides on: a search with fewer (a store of a
 *     few memories) is decided by the shipped product and floor, as without the gate (session 19,
 *     docs/relevance/threshold-rule.md: c chosen by leave-one-project-out on the dev projects'
 *     stores subsampled to 3, 5 and 10 memories)
 */
public record SearchGate(
    RelevanceGate gate,
    SearchGateJoint joint,
    double gateThreshold,
    double pairThreshold,
    int minCandidates) {
  static final String RESOURCE = "/retrieve/search-gate.txt";

  /** The one-line reason of a search the gate did not answer. */
  public static final String CLOSED =
      "Nothing relevant: the query does not look answerable from the stored memories (search"
          + " gate). Search with other words, or with min_score 0 for the closest matches however"
          + " unrelated.";

  /** No decision of its own: the search floor of {@link RelevanceModel} applies. */
  public static final SearchGate NONE = new SearchGate(RelevanceGate.NONE, 0, 0, 0);

  /** A decision by the query-style gate alone (no joint model). */
  public SearchGate(
      RelevanceGate gate, double gateThreshold, double pairThreshold, int minCandidates) {
    this(gate, null, gateThreshold, pairThreshold, minCandidates);
  }

  public SearchGate {
    if (!(gateThreshold >= 0 && gateThreshold <= 1 && pairThreshold >= 0 && pairThreshold <= 1)) {
      throw new IllegalArgumentException("search gate thresholds are probabilities in [0, 1]");
    }
    if (minCandidates < 0) {
      throw new IllegalArgumentException("search_gate_min_candidates is a count, 0 or more");
    }
  }

  /** Whether this is {@link #NONE}. */
  public boolean none() {
    return gate.none() && joint == null;
  }

  /**
   * Whether a query with these candidates' pair probabilities {@code p} (rows {@code x}) and this
   * query vector (null without vectors) is answered at all.
   */
  public boolean opens(double[] p, double[][] x, float[] queryVector) {
    if (none()) {
      return true;
    }
    if (p.length == 0) {
      return false;
    }
    double g =
        joint != null
            ? joint.probability(p, x, queryVector)
            : gate.probability(RelevanceGate.features(p, x, gate.style().logit(queryVector)));
    return g >= gateThreshold;
  }

  /** The floor of a query the gate did not answer: no score reaches it. */
  public static final double CLOSED_FLOOR = Double.POSITIVE_INFINITY;

  /**
   * The floor of one query's answer, on the scale of its scores (the shipped product): {@code
   * shippedFloor} when this is {@link #NONE} or there are fewer candidates than {@code
   * minCandidates} (but some); {@link #CLOSED_FLOOR} when the gate shuts; else {@code
   * pairThreshold} times the query's gate factor, which keeps exactly the memories whose pair
   * probability reaches {@code pairThreshold} (one positive factor for all; a factor that
   * underflows to 0 keeps none).
   *
   * @param scored the query's candidates as {@link RelevanceModel#scored} gave them
   * @param x their feature rows
   * @param queryVector the query's vector (null without vectors)
   */
  public double floor(
      RelevanceModel.Scored scored, double[][] x, float[] queryVector, double shippedFloor) {
    if (none() || (x.length > 0 && x.length < minCandidates)) {
      return shippedFloor;
    }
    // No candidates: nothing to decide; the empty answer's reason is the store's.
    if (x.length > 0 && !opens(scored.pairs(), x, queryVector)) {
      return CLOSED_FLOOR;
    }
    return Math.max(pairThreshold * scored.gate(), Double.MIN_VALUE);
  }

  /**
   * A search gate file: the gate lines of a relevance weights file (or session 22's {@code joint_*}
   * lines, which then decide) and the two thresholds.
   */
  public static SearchGate parse(String text, String source) {
    if (text.strip().equals("none")) {
      return NONE;
    }
    Map<String, String[]> lines = RelevanceModel.lines(text, source);
    SearchGateJoint joint = SearchGateJoint.parse(lines, source);
    RelevanceGate g = joint != null ? RelevanceGate.NONE : RelevanceModel.gate(lines, source);
    if (g.none() && joint == null) {
      throw RelevanceModel.bad(source, "a search gate file needs the gate or the joint lines");
    }
    try {
      return new SearchGate(
          g,
          joint,
          RelevanceModel.numbers(lines, "search_gate_threshold", 1, source)[0],
          RelevanceModel.numbers(lines, "search_pair_threshold", 1, source)[0],
          (int) RelevanceModel.numbers(lines, "search_gate_min_candidates", 1, source)[0]);
    } catch (IllegalArgumentException e) {
      throw RelevanceModel.bad(source, e.getMessage());
    }
  }

  /** The decision in use: {@code OMEM_SEARCH_GATE_WEIGHTS}' file when set, else the shipped one. */
  public static SearchGate shipped() {
    return Shipped.GATE;
  }

  private static final class Shipped {
    static final SearchGate GATE = load();

    private static SearchGate load() {
      String file = System.getenv("OMEM_SEARCH_GATE_WEIGHTS");
      try {
        if (file != null && !file.isBlank()) {
          String f = file.trim();
          return f.equals("none") ? NONE : parse(Files.readString(Path.of(f)), f);
        }
        try (InputStream in = SearchGate.class.getResourceAsStream(RESOURCE)) {
          if (in == null) {
            throw new IllegalStateException("the search gate " + RESOURCE + " is missing");
          }
          return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the search gate: " + e.getMessage(), e);
      }
    }
  }
}
