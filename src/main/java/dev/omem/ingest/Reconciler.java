package dev.omem.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * omem's own reconciliation, without an LLM: the decision for a new fact from its similarity to the
 * nearest stored memory and the cues of its wording ({@link FactText}). It always decides. An LLM
 * judge's verdict, when one is configured, goes through {@link #protect} like this one's.
 */
public final class Reconciler implements ReconcileJudge {
  /**
   * Cosine (bge-small-en-v1.5) at or above which two facts of different words say the same thing.
   * From {@code ReconcilerCalibrationTest}: restatements scored 0.94–0.97, a paraphrase in other
   * words 0.89, one value swapped ("tabs" → "spaces") 0.90–0.93, facts of one shape with other
   * values ("note one", "note two") 0.82–0.93, unrelated facts of a project 0.54–0.71. Cosine alone
   * cannot part a swap from a restatement, so the words decide within the band.
   */
  public static final double SAME_FACT = 0.90;

  /**
   * Cosine at or above which a fact that announces a change of mind ("instead of", "switch to", "no
   * longer", "from now on", "actually", {@link FactText#announcesChange}) replaces the nearest
   * stored fact: the same subject slot (package manager, CI, test framework, deploy target) in
   * other words. Chosen by leave-one-repository-out over ../shared/bench/extraction-dev.json
   * ({@code scripts/fit-extraction --supersede}, FitSupersede): for each repository, the grid value
   * maximising (supersede pairs joined - other same-repository fact pairs joined) over the other
   * repositories was 0.725 for all nine; left out it joined 8/8 labelled pairs and 33/1192 (2.8%)
   * unrelated pairs. Without the change cue the band starts at {@link #SAME_TOPIC}.
   */
  public static final double CHANGED_TOPIC = 0.725;

  /**
   * Content-word overlap (Jaccard) a change of mind read from topic ({@link #CHANGED_TOPIC}) also
   * needs with the stored fact it replaces: the same subject in words, not only a nearby topic
   * (cosine alone retired 3 unrelated current facts of 10 supersessions in the dev stores, such as
   * "Make the `session cd` command actually run `cd`" retiring "Add a 'session db' ..."). Chosen by
   * leave-one-repository-out over ../shared/bench/extraction-dev.json (FitSupersede's subject fit;
   * docs/extraction/supersede-rule.md): 0.225 in four of five folds and on all repositories; left
   * out it kept 7/8 labelled pairs and 1/1 other pair of a new fact the cosine gate joins.
   */
  public static final double CHANGED_SUBJECT = 0.225;

  /** Cosine under which a stored memory is not about the same thing (see {@link #SAME_FACT}). */
  public static final double SAME_TOPIC = 0.80;

  /**
   * Whether {@code b} compares the same two values as {@code a} the other way round: the words
   * around "over"/"than" trade places ("tabs over spaces" → "spaces over tabs").
   */
  static boolean swapsComparison(String a, String b) {
    String[] x = aroundComparison(a);
    String[] y = aroundComparison(b);
    return x != null && y != null && x[0].equals(y[1]) && x[1].equals(y[0]);
  }

  private static String[] aroundComparison(String text) {
    String[] words = text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    for (int i = 1; i + 1 < words.length; i++) {
      if (words[i].equals("over") || words[i].equals("than")) {
        return new String[] {words[i - 1], words[i + 1]};
      }
    }
    return null;
  }

  /**
   * The content-word overlap (Jaccard) below which two texts are not one fact restated, narrowed or
   * widened. From {@code ReconcilerCalibrationTest}: a fact and its narrowing or added detail share
   * 0.33 ("We deploy with Helm" → "... Helm charts kept in the infra repo"); LoCoMo turns of one
   * session share under 0.2 of their words, the date and the speaker included.
   */
  static final double MIN_SHARED = 0.3;

  /**
   * At most this many words in and out make a changed, negated or swapped fact (same calibration).
   */
  static final int MAX_CHANGED = 3;

  /** What SUPPORT adds to the confidence of the memory restated (ourmem: + 0.1). */
  public static final double SUPPORT_BOOST = 0.1;

  @Override
  public Optional<Verdict> judge(FactExtractor.Fact fact, List<Neighbour> neighbours) {
    return Optional.of(decide(fact.text(), neighbours));
  }

  /**
   * The similarity of two texts when there are no vectors (the model still loading): the overlap of
   * their content words, which is 1 for the same words and low for paraphrases, so that without
   * vectors only near-identical wording is reconciled.
   */
  public static double lexicalSimilarity(String a, String b) {
    return FactText.overlap(a, b);
  }

  /** The decision for an extracted fact's {@code text} against its neighbours. */
  public Verdict decide(String text, List<Neighbour> neighbours) {
    return decide(text, neighbours, true);
  }

  /**
   * The decision for {@code text} against its neighbours (most similar first). A change of mind
   * read from topic alone ({@link #CHANGED_TOPIC}) applies to extracted facts only: an agent's
   * explicit "use X instead of Y" is a project fact beside the others (seen on the coding lane,
   * where it superseded 4 of one project's 21 memories), and replaces one only when the words
   * agree.
   */
  public Verdict decide(String text, List<Neighbour> neighbours, boolean extracted) {
    if (neighbours.isEmpty()) {
      return new Verdict(Decision.CREATE, null, null);
    }
    Neighbour best = neighbours.get(0);
    // The text's words, and each neighbour's, read once: every rule below compares them (issue 19,
    // session 17: they were read again per neighbour and per rule, up to 13 times a store).
    Set<String> words = FactText.contentWords(text);
    List<String> inOrder = List.copyOf(words);
    boolean negated = FactText.negates(text);
    List<Set<String>> theirs = new ArrayList<>(neighbours.size());
    for (Neighbour n : neighbours) {
      Set<String> w = FactText.contentWords(n.content());
      theirs.add(w);
      // The same content words in the same order ("tabs over spaces" is not "spaces over tabs").
      if (List.copyOf(w).equals(inOrder) && FactText.negates(n.content()) == negated) {
        return new Verdict(Decision.SKIP, n.id(), null); // the same words: nothing new
      }
    }
    Optional<Set<String>> replaced = extracted ? ReplacedValue.of(text) : Optional.empty();
    if (replaced.isPresent()) {
      // "use X instead of Y": the nearest stored fact holding Y is the one replaced, when it does
      // not already hold the new text's words too (then it says the same as the new one).
      for (int i = 0; i < neighbours.size(); i++) {
        Neighbour n = neighbours.get(i);
        if (ReplacedValue.heldBy(replaced.get(), theirs.get(i))
            && !theirs.get(i).containsAll(words)
            && !n.content().contains("?")) {
          return new Verdict(Decision.SUPERSEDE, n.id(), null);
        }
      }
    }
    double sim = best.similarity();
    Set<String> bestWords = theirs.get(0);
    double overlap = FactText.overlap(words, bestWords);
    if (extracted
        && FactText.announcesChange(text)
        && sim >= CHANGED_TOPIC
        && overlap >= CHANGED_SUBJECT
        && !best.content().contains("?")) {
      // A changed mind on the same subject (near by topic and sharing its words): the new fact
      // replaces the old one (a stored text that asks something states nothing to replace: "Any
      // fun plans?" then "Actually, we went ...").
      return new Verdict(Decision.SUPERSEDE, best.id(), null);
    }
    if (sim < SAME_TOPIC) {
      return new Verdict(Decision.CREATE, null, null);
    }
    Set<String> added = new HashSet<>(words);
    added.removeAll(bestWords);
    Set<String> dropped = new HashSet<>(bestWords);
    dropped.removeAll(words);
    // Cosine alone joins long texts of one conversation (LoCoMo turns of one session score
    // 0.86-0.96 to each other), so every decision but CREATE also needs the words to agree: a
    // changed or negated fact differs from the old one in a few words, a restatement or a narrowing
    // shares most of them (MIN_SHARED).
    boolean fewChanged =
        overlap > 0 && added.size() <= MAX_CHANGED && dropped.size() <= MAX_CHANGED;
    if (overlap < MIN_SHARED && !fewChanged || FactText.numbersChanged(text, best.content()) > 1) {
      // Other words, or other numbers in several places: another fact, or another instance of
      // one template ("server 3 note 0" and "server 0 note 3").
      return new Verdict(Decision.CREATE, null, null);
    }
    if (FactText.announcesChange(text) && fewChanged) {
      return new Verdict(Decision.SUPERSEDE, best.id(), null);
    }
    if (FactText.negates(text) != FactText.negates(best.content()) && fewChanged) {
      return new Verdict(Decision.CONTRADICT, best.id(), null);
    }
    if (added.isEmpty() && dropped.isEmpty()) {
      // The same words in another order: a restatement, unless they compare two values ("spaces
      // over tabs" after "tabs over spaces"), which states the other choice.
      return swapsComparison(best.content(), text)
          ? new Verdict(Decision.SUPERSEDE, best.id(), null)
          : new Verdict(Decision.SKIP, best.id(), null);
    }
    if (added.isEmpty() && overlap >= MIN_SHARED) {
      // Nothing the stored fact lacks: the same fact, said with fewer or other function words.
      return new Verdict(sim >= SAME_FACT ? Decision.SKIP : Decision.SUPPORT, best.id(), null);
    }
    if (dropped.isEmpty() && overlap >= MIN_SHARED) {
      // The stored fact and more: a narrowing case, or detail to fold in.
      return FactText.qualifiers(text) > FactText.qualifiers(best.content())
          ? new Verdict(Decision.CONTEXTUALIZE, best.id(), null)
          : new Verdict(Decision.MERGE, best.id(), text);
    }
    boolean numbered =
        Stream.concat(added.stream(), dropped.stream()).anyMatch(w -> w.matches(".*\\d.*"));
    if (added.size() == 1 && dropped.size() == 1
        || added.size() <= 2 && dropped.size() <= 2 && !numbered) {
      // One slot, another value: a changed setting when both state one ("I prefer tabs" then
      // "I prefer spaces"); else two facts of one shape ("note one", "note two"). Two numbered
      // slots are another instance ("note 0 ... since sprint 0", "note 8 ... since sprint 8").
      return FactText.statesStance(text) && FactText.statesStance(best.content())
          ? new Verdict(Decision.SUPERSEDE, best.id(), null)
          : new Verdict(Decision.CREATE, null, null);
    }
    return new Verdict(Decision.CREATE, null, null);
  }

  /**
   * {@code v} made safe for the memories it touches: an explicitly stored memory is never merged
   * away or superseded by an extracted fact (the fact is stored beside it, related), and a newer
   * explicit statement that contradicts an older one replaces it.
   */
  public static Verdict protect(Verdict v, boolean incomingExplicit, Neighbour target) {
    if (target == null) {
      return v;
    }
    if (!incomingExplicit && target.explicit()) {
      return switch (v.decision()) {
        case MERGE -> new Verdict(Decision.CONTEXTUALIZE, v.targetId(), null);
        case SUPERSEDE -> new Verdict(Decision.CONTRADICT, v.targetId(), null);
        default -> v;
      };
    }
    if (incomingExplicit && v.decision() == Decision.CONTRADICT) {
      return new Verdict(Decision.SUPERSEDE, v.targetId(), null);
    }
    return v;
  }
}
