package dev.omem.ingest;

import dev.omem.embed.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * An extractor followed by the noise filter and admission, as smart ingest will run them: each
 * conversation starts from an empty store, and a fact admitted earlier in it is "already stored"
 * for the facts after it (novelty by the real embedding model, as the store would compute it).
 *
 * <p>The extractor does not say which turn a fact came from, so the fact is given the user turn
 * whose trigrams are closest to its text (its own turn, for the local rules, which copy sentences).
 */
final class AdmittingExtractor implements FactExtractor {
  private final FactExtractor extractor;
  private final NoiseFilter noise;
  private final AdmissionScorer scorer;
  private final Embedder embedder;
  private final List<String> trace = new ArrayList<>();

  AdmittingExtractor(
      FactExtractor extractor, NoiseFilter noise, AdmissionScorer scorer, Embedder embedder) {
    this.extractor = extractor;
    this.noise = noise;
    this.scorer = scorer;
    this.embedder = embedder;
  }

  /** One line per fact dropped, with the reason. */
  List<String> trace() {
    return trace;
  }

  @Override
  public List<Fact> extract(List<Turn> turns) {
    List<float[]> stored = new ArrayList<>();
    List<Fact> out = new ArrayList<>();
    for (Fact f : extractor.extract(turns)) {
      NoiseFilter.Verdict v = noise.check(f.text());
      if (v.noise()) {
        trace.add("noise (" + v.reason() + "): " + f.text());
        continue;
      }
      float[] vec = embedder.embedDocument(f.text());
      double closest = AdmissionScorer.NOTHING_STORED;
      for (float[] s : stored) {
        closest = Math.max(closest, dot(vec, s));
      }
      Admission a = scorer.score(f, Math.min(1.0, closest), sourceTurn(f, turns), turns.size());
      if (a.admitted()) {
        stored.add(vec);
        out.add(f);
      } else {
        trace.add(a.reason() + ": " + f.text());
      }
    }
    return out;
  }

  private static int sourceTurn(Fact f, List<Turn> turns) {
    int best = 0;
    double bestSim = -1;
    for (int i = 0; i < turns.size(); i++) {
      if (!"user".equalsIgnoreCase(turns.get(i).role())) {
        continue;
      }
      double sim = Trigrams.cosine(f.text(), turns.get(i).content());
      if (sim > bestSim) {
        bestSim = sim;
        best = i;
      }
    }
    return best;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
