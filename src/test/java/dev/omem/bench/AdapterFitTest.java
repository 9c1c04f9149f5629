package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter probe's fit (AdapterFit.train) on fixed vectors written here. */
class AdapterFitTest {

  /**
   * Four-dimensional unit vectors: dimension 0 is what the relevant memory shares with its queries,
   * dimension 1 what a distractor shares more of. By cosine the distractor comes first.
   */
  private static List<AdapterFit.Q> lane(float[][] mem) {
    List<AdapterFit.Q> qs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String project = "p" + (i % 3);
      float[] q = unit(0.5f, 0.8f, 0.1f * i, 0.2f);
      qs.add(new AdapterFit.Q(project, q, new int[] {0, 1}, new boolean[] {true, false}, true));
    }
    return qs;
  }

  private static float[][] memories() {
    return new float[][] {unit(0.9f, 0.3f, 0, 0.1f), unit(0.1f, 0.95f, 0.1f, 0.2f)};
  }

  @Test
  void aFittedAdapterPutsTheRelevantMemoryFirstWhereTheCosineDoesNot() {
    float[][] mem = memories();
    List<AdapterFit.Q> qs = lane(mem);
    double[][] cos = new double[qs.size()][];
    double[][] fitted = new double[qs.size()][];
    for (AdapterFit.Config c :
        List.of(new AdapterFit.Config(true, 0, 0.01), new AdapterFit.Config(false, 2, 0.01))) {
      AdapterFit.Adapter a = AdapterFit.train(qs, mem, p -> true, c);
      AdapterFit.Adapter id = AdapterFit.train(qs, mem, p -> true, AdapterFit.CONFIGS.get(0));
      for (int i = 0; i < qs.size(); i++) {
        cos[i] = new double[] {id.score(qs.get(i).q(), mem[0]), id.score(qs.get(i).q(), mem[1])};
        fitted[i] = new double[] {a.score(qs.get(i).q(), mem[0]), a.score(qs.get(i).q(), mem[1])};
      }
      // The identity is the plain cosine: the distractor first, MRR 0.5.
      assertEquals(0.5, AdapterFit.ranking(qs, cos, p -> true)[2], 1e-12);
      assertEquals(TokenMaxSimFit.dot(qs.get(0).q(), mem[1]), cos[0][1], 1e-9);
      // The fitted adapter (diagonal, then rank 2) ranks the relevant memory first every time.
      assertEquals(1.0, AdapterFit.ranking(qs, fitted, p -> true)[0], 1e-12, c.name());
    }
  }

  @Test
  void theStrongestPenaltyKeepsTheAdapterNearTheIdentity() {
    float[][] mem = memories();
    AdapterFit.Adapter a =
        AdapterFit.train(lane(mem), mem, p -> true, new AdapterFit.Config(true, 0, 1000));
    for (double v : a.a()) {
      assertTrue(Math.abs(v) < 0.05, "diagonal weight " + v);
    }
  }

  private static float[] unit(float... v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }
}
