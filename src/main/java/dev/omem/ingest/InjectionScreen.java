package dev.omem.ingest;

import static dev.omem.embed.UnitVectors.dot;

import dev.omem.embed.Embedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether stored text reads as instructions to a model (a prompt injection), and why (issue 14).
 * Every write path screens through here; a flagged memory is stored and searchable, shown quoted
 * and flagged, and never injected by a hook.
 *
 * <p>Two structural rules that need no model ({@link HiddenText}, {@link ToolCallSyntax}), then a
 * nearest-exemplar classifier over the shipped embedding model's vectors: the text is an injection
 * when its closest attack exemplar ({@value #ATTACKS_RESOURCE}) is at least {@link #MIN_SIMILARITY}
 * and closer by {@link #MARGIN} than its closest look-alike ({@value #LOOKALIKES_RESOURCE}: a
 * user's own "always run the tests before committing"). Exemplars generalise where a list of
 * phrasings would not: a paraphrase lands near them in the model's space. Until the model is loaded
 * only the structural rules run.
 */
public final class InjectionScreen {
  public static final String ATTACKS_RESOURCE = "/ingest/injection-exemplars.txt";
  public static final String LOOKALIKES_RESOURCE = "/ingest/instruction-lookalikes.txt";

  /**
   * Exemplars averaged on each side: the mean cosine of the {@value #K} closest attack exemplars
   * against that of the {@value #K} closest look-alikes (one nearest exemplar was noisier). With
   * {@link #MARGIN} and {@link #MIN_SIMILARITY} chosen by leave-one-out over the exemplar files
   * themselves ({@code InjectionScreenTest.leaveOneOutOverTheExemplars}: k 1/2/3/5 × margin
   * -0.02..0.05; k=3, margin 0.01 classified 51 of 65 held-out exemplars right, the best with k=5
   * at 52 being within one). The exemplars are omem's own writing: a calibration on written data,
   * not a measured quality.
   */
  static final int K = 3;

  /** How much closer to the attacks than to the look-alikes a text must be. */
  public static final double MARGIN = 0.01;

  /**
   * Below this mean cosine to the attacks a text is unrelated to both sides (bge-small gives
   * unrelated sentences 0.4–0.55), and the margin between two small numbers says nothing.
   */
  public static final double MIN_SIMILARITY = 0.60;

  private final Supplier<Optional<Embedder>> model;
  private final List<String> attacks;
  private final List<String> lookalikes;
  private volatile Vectors vectors;

  private record Vectors(String modelId, List<float[]> attacks, List<float[]> lookalikes) {}

  /** A screen over the shipped exemplars; {@code model} is empty until the model has loaded. */
  public InjectionScreen(Supplier<Optional<Embedder>> model) {
    this(model, lines(ATTACKS_RESOURCE), lines(LOOKALIKES_RESOURCE));
  }

  /** A screen over given exemplars (the leave-one-out calibration). */
  public InjectionScreen(
      Supplier<Optional<Embedder>> model, List<String> attacks, List<String> lookalikes) {
    this.model = model;
    this.attacks = List.copyOf(attacks);
    this.lookalikes = List.copyOf(lookalikes);
  }

  /**
   * Why {@code text} reads as instructions to a model, or null when it does not. {@code vector} is
   * its document vector when the caller has one (else it is embedded here when the model is ready).
   */
  public String reason(String text, float[] vector) {
    String rule = HiddenText.reason(text);
    if (rule == null) {
      rule = ToolCallSyntax.reason(text);
    }
    if (rule == null) {
      rule = ModelDirectives.reason(text);
    }
    if (rule != null) {
      return rule;
    }
    Optional<Embedder> e = model.get();
    if (e.isEmpty()) {
      return null;
    }
    Score s = score(e.get(), text, vector);
    return s.injection()
        ? String.format(
            java.util.Locale.ROOT,
            "reads as instructions to a model (closest exemplar: \"%s\")",
            s.nearestAttack())
        : null;
  }

  /**
   * Embeds the exemplars now if the model is ready and they are not yet (a few hundred
   * milliseconds, once per model), so that a caller can pay for it before it takes a lock.
   */
  public void prepare() {
    model.get().ifPresent(this::vectors);
  }

  /**
   * The classifier's view of a text: the mean cosine of its {@value #K} closest attack and
   * look-alike exemplars, and the closest attack.
   */
  public record Score(double attack, double lookalike, String nearestAttack, int nearest) {
    public boolean injection() {
      return attack >= MIN_SIMILARITY && attack - lookalike >= MARGIN;
    }
  }

  /** The similarities behind {@link #reason} (tests and the calibration read them). */
  public Score score(Embedder e, String text, float[] vector) {
    Vectors v = vectors(e);
    float[] x = vector != null && vector.length == dims(v) ? vector : e.embedDocument(text);
    Score s = score(x, v.attacks(), v.lookalikes());
    return new Score(s.attack(), s.lookalike(), attacks.get(s.nearest()), s.nearest());
  }

  /**
   * The score of vector {@code x} against exemplar vectors (the leave-one-out calibration calls it
   * with one exemplar left out); {@code nearestAttack} is left null, {@link Score#nearest} set.
   */
  static Score score(float[] x, List<float[]> attackVectors, List<float[]> lookalikeVectors) {
    double[] a = new double[attackVectors.size()];
    int nearest = 0;
    for (int i = 0; i < a.length; i++) {
      a[i] = dot(x, attackVectors.get(i));
      nearest = a[i] > a[nearest] ? i : nearest;
    }
    double[] l = new double[lookalikeVectors.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = dot(x, lookalikeVectors.get(i));
    }
    return new Score(topMean(a), topMean(l), null, nearest);
  }

  private static double topMean(double[] sims) {
    double[] s = sims.clone();
    java.util.Arrays.sort(s);
    int k = Math.min(K, s.length);
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += s[s.length - 1 - i];
    }
    return k == 0 ? -1 : sum / k;
  }

  private static int dims(Vectors v) {
    return v.attacks().isEmpty() ? -1 : v.attacks().get(0).length;
  }

  /** The exemplars' vectors, embedded once per model (a few hundred milliseconds, once). */
  private Vectors vectors(Embedder e) {
    Vectors v = vectors;
    String id = e.spec().id();
    if (v == null || !v.modelId().equals(id)) {
      synchronized (this) {
        v = vectors;
        if (v == null || !v.modelId().equals(id)) {
          v = new Vectors(id, e.embedDocuments(attacks), e.embedDocuments(lookalikes));
          vectors = v;
        }
      }
    }
    return v;
  }

  /** The non-blank, non-comment lines of a resource in the jar. */
  public static List<String> lines(String resource) {
    try (InputStream in = InjectionScreen.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      List<String> out = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(t);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
