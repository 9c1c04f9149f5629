package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, the Stop capture's CPU: the extractor embeds the assistant turn a piece answers only
 * when that context could lift the piece to the threshold, and keeps exactly what it would keep
 * with every context embedded (the same facts, the same confidences). The real model and the
 * shipped weights, on turns written for this test; the model is wrapped only to count its texts.
 */
class ContextOnDemandTest {
  private static EmbeddingProvider provider;
  private static Embedder embedder;

  @BeforeAll
  static void load() {
    provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    provider.startLoading();
    embedder = provider.awaitReady(Duration.ofMinutes(2)).orElseThrow();
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  /** The real model, counting the documents it embeds. */
  private static final class Counting implements Embedder {
    final AtomicInteger documents = new AtomicInteger();

    @Override
    public ModelSpec spec() {
      return embedder.spec();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      documents.addAndGet(texts.size());
      return embedder.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
      return embedder.embedQuery(query);
    }

    @Override
    public void close() {}
  }

  private static final String[][] TURNS = {
    {"user", "Hi there, thanks for the help yesterday."},
    {
      "assistant",
      "Happy to help. I looked at the checkout flow again: the cart keeps its items in local"
          + " storage and the order is created when the payment succeeds. Should the price of an"
          + " item be kept as it was when it was bought, or read from the product each time?"
    },
    {"user", "Yes, track the price at the time of purchase. Ok cool."},
    {
      "assistant",
      "Done. The order line now stores the unit price and the quantity. I also noticed the tests"
          + " run against a shared database; do you want them isolated?"
    },
    {"user", "Hmm, let me think. Workers never touch the database, they only call the API."},
    {
      "assistant",
      "Understood. I moved the worker's two queries behind API calls and removed its database"
          + " credentials from the environment file. Anything else for today?"
    },
    {"user", "Great, that works. See you tomorrow!"},
    {
      "assistant",
      "See you. I left a note in the pull request about the remaining flaky test, which fails"
          + " about one run in twenty on the shared runner because of a timing assumption."
    },
    {"user", "Lol ok. Why did you reformat everything? Stop doing that, only change what I ask."},
  };

  private static List<FactExtractor.Turn> turns() {
    List<FactExtractor.Turn> out = new ArrayList<>();
    for (String[] t : TURNS) {
      out.add(new FactExtractor.Turn(t[0], t[1]));
    }
    return out;
  }

  @Test
  void keepsWhatEveryContextWouldKeepWithFewerEmbeddings() {
    ExtractionModel model = ExtractionModel.shipped();
    Counting counting = new Counting();
    List<FactExtractor.Fact> facts =
        new LearnedExtractor(provider, model, new LocalRulesExtractor()).extract(turns(), counting);

    // Every context embedded, as before the change: the features, probabilities, cap and merge.
    List<LearnedExtractor.Sentence> pieces = LearnedExtractor.sentences(turns());
    List<float[]> vs = new ArrayList<>();
    List<float[]> before = new ArrayList<>();
    Set<String> texts = new HashSet<>();
    for (LearnedExtractor.Sentence s : pieces) {
      vs.add(embedder.embedDocument(s.text()));
      before.add(s.before().isEmpty() ? null : embedder.embedDocument(s.before()));
      texts.add(s.text());
      if (!s.before().isEmpty()) {
        texts.add(s.before());
      }
    }
    List<double[]> features = FactFeatures.of(pieces, vs, before);
    double[] p = new double[pieces.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = model.probability(vs.get(i), features.get(i));
    }
    boolean[] kept = LearnedExtractor.keep(pieces, p, model.threshold(), model.perTurn());
    LearnedExtractor.merge(vs, p, kept, model.merge());
    List<String> expected = new ArrayList<>();
    List<Double> confidences = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      if (kept[i] && !PastedForm.pasted(pieces.get(i).text())) {
        expected.add(pieces.get(i).text());
        confidences.add(p[i]);
      }
    }

    assertTrue(expected.size() >= 2, "the weights keep some of these turns: " + expected);
    assertEquals(expected, facts.stream().map(FactExtractor.Fact::text).toList());
    assertEquals(confidences, facts.stream().map(FactExtractor.Fact::confidence).toList());
    assertTrue(
        counting.documents.get() < texts.size(),
        "some context was not needed: " + counting.documents.get() + " of " + texts.size());
  }

  @Test
  void theHighestProbabilityBoundsEveryValueOfTheFeature() {
    ExtractionModel model = ExtractionModel.shipped();
    float[] v = embedder.embedDocument("Workers never touch the database.");
    double[] rules = {2.0, 0, 1, 0.5, 1, 0, 0.7, 0, 0.6};
    double highest =
        model.highest(
            v,
            rules,
            FactFeatures.ASKED,
            -LearnedExtractor.COSINE_BOUND,
            LearnedExtractor.COSINE_BOUND);
    double reached = 0;
    for (double c = -1; c <= 1.0001; c += 0.05) {
      rules[FactFeatures.ASKED] = c;
      double q = model.probability(v, rules);
      assertTrue(q <= highest, c + ": " + q + " > " + highest);
      reached = Math.max(reached, q);
    }
    assertTrue(highest - reached < 1e-3, "the bound is the end of the range, not loose");
  }
}
