package dev.omem.ingest;

import dev.omem.domain.Category;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.UnitVectors;
import dev.omem.embed.VectorMemo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The default {@link FactExtractor} without an LLM: the user's turns are split into sentences
 * ({@link SentenceSplitter}, filler removed by {@link DiscourseFiller}), each is embedded with the
 * shipped model (with the end of the assistant turn it answers, for its context, when that could
 * change the decision), and {@link ExtractionModel} (a classifier learned from labelled real
 * conversations, reading {@link FactFeatures} beside the vector) keeps those likely to state a
 * durable fact, at most its cross-validated number per user turn, with that probability as the
 * fact's confidence, a kind and a scope; a piece naming the value it replaces is kept whatever its
 * score ({@link #namesReplaced}). Assistant, tool and system turns are never a source: the
 * assistant's words are its reading of the user, not the user's word.
 *
 * <p>When the embedding model is not loaded within {@link #MODEL_WAIT}, the rules of {@link
 * LocalRulesExtractor} extract instead, so that a capture never waits long.
 */
public final class LearnedExtractor implements FactExtractor {
  /** How long an extraction waits for the model to load before falling back to the rules. */
  static final Duration MODEL_WAIT = Duration.ofSeconds(20);

  private final EmbeddingProvider embeddings;
  private final ExtractionModel model;
  private final FactExtractor fallback;

  public LearnedExtractor(
      EmbeddingProvider embeddings, ExtractionModel model, FactExtractor fallback) {
    this.embeddings = embeddings;
    this.model = model;
    this.fallback = fallback;
  }

  @Override
  public List<Fact> extract(List<Turn> turns) {
    Optional<Embedder> e = embeddings.awaitReady(MODEL_WAIT);
    if (e.isEmpty() || e.get().spec().dimensions() != model.dimension()) {
      return fallback.extract(turns);
    }
    return extract(turns, e.get(), embeddings.memo());
  }

  /** The facts of {@code turns}, with this embedder. */
  public List<Fact> extract(List<Turn> turns, Embedder embedder) {
    return extract(turns, embedder, null);
  }

  /**
   * The facts of {@code turns}; each kept fact's vector goes to {@code memo} (null: none), so that
   * its write does not embed it again.
   */
  private List<Fact> extract(List<Turn> turns, Embedder embedder, VectorMemo memo) {
    List<Sentence> sentences = sentences(turns);
    List<Fact> out = new ArrayList<>();
    if (sentences.isEmpty()) {
      return out;
    }
    // A text said twice ("Yes.", a pasted rule) is embedded once: its vector is the same.
    List<String> texts =
        List.copyOf(new LinkedHashSet<>(sentences.stream().map(Sentence::text).toList()));
    Map<String, float[]> vectors = embedded(embedder, texts);
    List<float[]> vs = sentences.stream().map(x -> vectors.get(x.text())).toList();
    double[] p = probabilities(sentences, vs, embedder);
    boolean[] kept = keep(sentences, p, model.threshold(), model.perTurn());
    merge(vs, p, kept, model.merge());
    for (int i = 0; i < kept.length; i++) { // after the merge, as fitted (PastedForm)
      kept[i] = kept[i] && !PastedForm.pasted(sentences.get(i).text());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < kept.length; i++) {
      String text = sentences.get(i).text();
      if ((!kept[i] && !namesReplaced(text)) || !seen.add(text.toLowerCase(Locale.ROOT))) {
        continue;
      }
      float[] v = vs.get(i);
      if (memo != null) {
        memo.put(text, v);
      }
      String kind = model.kind(v);
      out.add(
          new Fact(
              text,
              categoryOf(kind),
              List.of(kind),
              importanceOf(kind),
              p[i],
              kind,
              model.global(v) || personalHabit(text) ? "global" : "project"));
    }
    return out;
  }

  /**
   * Whether a piece the classifier did not keep is kept as a change of mind: it names the value it
   * replaces ({@link ReplacedValue}: "use A instead of B"), so that the reconciler can supersede
   * the stored fact holding B. Session 12's error analysis (BENCHMARKS.md): four of five unresolved
   * supersede pairs of the dev corpus were changes said as instructions, which read like the
   * one-off requests the classifier learns to drop. A question states no change. Session 13 also
   * tried keeping pieces that only announce a change when a current memory is on their topic: it
   * added three pieces holding no fact, and did not ship (BENCHMARKS.md). Session 18 adds a setting
   * given a new literal value ({@link ReplacedValue#setsLiteral}: "change the colour to #ddddff"),
   * which the reconciler's change cue then lets replace the stored value on its topic.
   */
  static boolean namesReplaced(String text) {
    return !text.contains("?")
        && (ReplacedValue.of(text).isPresent() || ReplacedValue.setsLiteral(text));
  }

  /**
   * How far the cosine of two unit vectors can reach, with room for float rounding: the bound on
   * the context feature, so that skipping a context cannot change a decision.
   */
  static final double COSINE_BOUND = 1.001;

  /**
   * Each piece's probability. The assistant turn a piece answers (its context) is embedded only
   * when the piece could reach the threshold with some cosine to it in [-1, 1]: the feature is
   * linear in the logit, so the two ends bound it. A piece that cannot reach it is never kept, and
   * the cap and the merge look only at kept pieces, so what is kept and each kept fact's confidence
   * are the same as with every context embedded. With the shipped weights this skips about 7% of
   * the extractor's input on the dev corpus (BENCHMARKS.md, session 10): the bound is wide.
   */
  private double[] probabilities(List<Sentence> pieces, List<float[]> vs, Embedder embedder) {
    List<float[]> none = new ArrayList<>();
    pieces.forEach(x -> none.add(null));
    List<double[]> features = FactFeatures.of(pieces, vs, none);
    double[] highest = new double[pieces.size()];
    Set<String> needed = new LinkedHashSet<>();
    for (int i = 0; i < highest.length; i++) {
      highest[i] =
          model.highest(
              vs.get(i), features.get(i), FactFeatures.ASKED, -COSINE_BOUND, COSINE_BOUND);
      if (!pieces.get(i).before().isEmpty() && highest[i] >= model.threshold()) {
        needed.add(pieces.get(i).before());
      }
    }
    Map<String, float[]> contexts = embedded(embedder, List.copyOf(needed));
    double[] p = new double[highest.length];
    for (int i = 0; i < p.length; i++) {
      String before = pieces.get(i).before();
      if (before.isEmpty()) {
        p[i] = model.probability(vs.get(i), features.get(i)); // no context: the feature is 0
      } else if (contexts.containsKey(before)) {
        features.get(i)[FactFeatures.ASKED] = UnitVectors.dot(vs.get(i), contexts.get(before));
        p[i] = model.probability(vs.get(i), features.get(i));
      } else {
        p[i] = highest[i]; // below the threshold whatever its context: never kept
      }
    }
    return p;
  }

  private static Map<String, float[]> embedded(Embedder embedder, List<String> texts) {
    Map<String, float[]> out = new HashMap<>();
    if (texts.isEmpty()) {
      return out;
    }
    List<float[]> vectors = embedder.embedDocuments(texts);
    for (int i = 0; i < texts.size(); i++) {
      out.put(texts.get(i), vectors.get(i));
    }
    return out;
  }

  /**
   * Which pieces are kept: probability at or above {@code threshold}, and at most {@code perTurn}
   * of the most probable pieces of one user turn (0: no cap), both chosen by cross-validation.
   */
  public static boolean[] keep(List<Sentence> pieces, double[] p, double threshold, int perTurn) {
    boolean[] kept = new boolean[pieces.size()];
    for (int i = 0; i < kept.length; i++) {
      if (p[i] < threshold) {
        continue;
      }
      int above = 0;
      for (int j = 0; j < kept.length; j++) {
        if (j != i
            && pieces.get(j).turn() == pieces.get(i).turn()
            && (p[j] > p[i] || p[j] == p[i] && j < i)) {
          above++;
        }
      }
      kept[i] = perTurn <= 0 || above < perTurn;
    }
    return kept;
  }

  /**
   * Drops, in place, each kept piece whose cosine to a more probable kept piece is at or above
   * {@code merge}: the same fact said twice in one capture is stored once (chosen by
   * cross-validation; a repeat would be a second memory of one fact).
   */
  public static void merge(List<float[]> vectors, double[] p, boolean[] kept, double merge) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    List<Integer> taken = new ArrayList<>();
    for (int i : order) {
      if (!kept[i]) {
        continue;
      }
      for (int j : taken) {
        if (UnitVectors.dot(vectors.get(i), vectors.get(j)) >= merge) {
          kept[i] = false;
          break;
        }
      }
      if (kept[i]) {
        taken.add(i);
      }
    }
  }

  /**
   * A habit the user states about themselves ("I prefer pnpm", "I always squash"): theirs in every
   * project, as {@code ScopeRules} files an explicit preference. The dev corpus has no such
   * sentence (0 of its 122 facts and 134 user turns), so this rule moves none of its figures.
   */
  static boolean personalHabit(String text) {
    return PERSONAL_HABIT.matcher(text).find();
  }

  private static final java.util.regex.Pattern PERSONAL_HABIT =
      java.util.regex.Pattern.compile(
          "\\bI\\s+(?:always\\s+|usually\\s+|generally\\s+)?(?:prefer|like|use|never|always)\\b",
          java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * How much of the assistant turn before a user turn is read as its context: the end, where a
   * question or proposal is usually put; and of the reply after it: the start, where the assistant
   * says what it takes up. A cost cap (one short embedding per user turn), not tuned.
   */
  static final int BEFORE_CHARS = 400;

  /**
   * One piece (a sentence) of a user turn: its text, its user turn's place among the user turns,
   * whether the turn answers an assistant turn that asked something, the end of that assistant turn
   * ("" when none), the piece's place among its turn's pieces, and the start of the assistant turn
   * that replies to its turn ("" when none).
   */
  public record Sentence(
      String text,
      int turn,
      int turns,
      boolean answers,
      String before,
      int index,
      int inTurn,
      String after) {}

  /** The pieces of the user turns, in order: whole sentences ({@link SentenceSplitter}). */
  public static List<Sentence> sentences(List<Turn> turns) {
    List<String> user = new ArrayList<>();
    List<String> befores = new ArrayList<>();
    List<String> afters = new ArrayList<>();
    String before = "";
    for (Turn t : turns) {
      if (t.role().equalsIgnoreCase("user")) {
        user.add(t.content());
        befores.add(before);
        afters.add("");
        before = "";
      } else if (t.role().equalsIgnoreCase("assistant")) {
        String c = t.content().strip();
        before = c.length() <= BEFORE_CHARS ? c : c.substring(c.length() - BEFORE_CHARS);
        int last = afters.size() - 1;
        if (last >= 0 && afters.get(last).isEmpty()) { // the first reply to the last user turn
          afters.set(last, c.length() <= BEFORE_CHARS ? c : c.substring(0, BEFORE_CHARS));
        }
      }
    }
    List<Sentence> out = new ArrayList<>();
    for (int i = 0; i < user.size(); i++) {
      String b = befores.get(i);
      List<String> turn = SentenceSplitter.split(user.get(i));
      for (int k = 0; k < turn.size(); k++) {
        out.add(
            new Sentence(
                turn.get(k), i, user.size(), b.contains("?"), b, k, turn.size(), afters.get(i)));
      }
    }
    return out;
  }

  /** The stored category of a kind: preferences reach the profile; the rest are project lore. */
  static Category categoryOf(String kind) {
    return switch (kind) {
      case "preference" -> Category.PREFERENCES;
      case "correction" -> Category.CASES;
      case "project_fact" -> Category.ENTITIES;
      default -> Category.PATTERNS; // convention, decision
    };
  }

  /** Hand-set priors, as in LocalRulesExtractor: how long such a statement usually matters. */
  static double importanceOf(String kind) {
    return switch (kind) {
      case "preference", "decision", "correction" -> 0.75;
      case "convention" -> 0.7;
      default -> 0.6;
    };
  }
}
