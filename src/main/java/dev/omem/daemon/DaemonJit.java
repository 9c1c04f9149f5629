package dev.omem.daemon;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's compiler flags, chosen for the Java that runs it (the daemon's JVM is this one's:
 * {@link DaemonLauncher#java()}). Measured in BENCHMARKS.md, "Session 15: the daemon's compiler,
 * Lucene's vector scoring, and the heap free ratios".
 *
 * <p>C1 only ({@link #C1_ONLY}) unless three things hold: Java 21 to {@link #VECTOR_MAX_FEATURE},
 * the runtime has the {@code jdk.incubator.vector} module (a jlink'd one may not), and the store
 * holds at least {@link #VECTOR_MIN_BYTES} of vectors. Then {@link #vector}: tiered compilation
 * with C2 confined to the exact vector scoring, and Lucene's Panama scorer, which is fast only when
 * C2 compiles it (Lucene refuses it under C1). Everything else then runs in C1's profiled code
 * (tier 3), slower than C1-only code, which is why a small store keeps C1 only.
 */
final class DaemonJit {
  private DaemonJit() {}

  /**
   * C1's compile thresholds at a tenth of the defaults (a method compiled after 20 calls instead of
   * 200): a store or a search calls most of its methods once, so at the defaults the daemon's first
   * ~200 calls of each kind ran them interpreted while C1 compiled them. Over stores 61-260 into
   * the 10k store through MCP the daemon's CPU per store fell from 20.95 to 16.70 ms (the tool
   * thread 13.3 to 11.4, the compiler 1.45 to 0.60) and per search from 23.5 to 19.5 ms, the
   * answers the same (bench-waits --b-opts, load 32); its first 4 minutes on that store took 7.42
   * against 7.09 CPU-seconds and its RSS was 215 against 207 MiB (BENCHMARKS.md session 23).
   */
  static final double C1_THRESHOLD_SCALING = 0.1;

  /**
   * C1 only: the daemon's start after a kill took 4.5 instead of 6.7 CPU-seconds without an
   * archive, 2.6 instead of 4.0 with one (scripts/bench-recovery's daemon, BENCHMARKS.md), and full
   * C2 costs more than it returns: its compiler took 19-23 CPU-seconds over the first 1,000 calls
   * at 10k memories, more than the calls saved (session 15). With {@link #C1_THRESHOLD_SCALING}.
   */
  static final List<String> C1_ONLY =
      List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=" + C1_THRESHOLD_SCALING);

  /** Newest Java whose Panama scoring was measured with Lucene 9.12.3 (its own cap is 23). */
  static final int VECTOR_MAX_FEATURE = 25;

  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  /**
   * What the profile of a daemon's searches at 10k memories ran hot (JFR, session 15: 21% of the
   * Java samples in {@code DefaultVectorUtilSupport.dotProduct}, 4% in {@code PairDots.of}, the
   * exact-search loop around them): compiled by C2 at the default thresholds (the scaling 0.01 of
   * thresholds raised 100-fold), everything else left to C1.
   */
  static final List<String> HOT_KERNELS =
      List.of(
          "org.apache.lucene.internal.vectorization.*::dotProduct*",
          "org.apache.lucene.util.VectorUtil::dotProduct",
          "org.apache.lucene.index.VectorSimilarityFunction*::compare",
          "org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer*::score",
          "org.apache.lucene.codecs.lucene95.OffHeapFloatVectorValues*::*",
          "org.apache.lucene.search.AbstractKnnVectorQuery::exactSearch",
          "dev.omem.retrieve.PairDots::of");

  /** The C2-for-the-kernels and Panama flags (Java 21+ with the vector module). */
  static List<String> vector(int feature) {
    List<String> o = new ArrayList<>();
    // C2 on, but its thresholds 100 times the defaults (5,000 / 600 / 15,000 / 40,000): only what
    // HOT_KERNELS scales back down reaches it.
    o.add("-XX:TieredStopAtLevel=4");
    o.add("-XX:Tier4InvocationThreshold=500000");
    o.add("-XX:Tier4MinInvocationThreshold=60000");
    o.add("-XX:Tier4CompileThreshold=1500000");
    o.add("-XX:Tier4BackEdgeThreshold=4000000");
    o.add("-XX:CompileCommand=quiet"); // else each command is echoed on stdout
    for (String m : HOT_KERNELS) {
      o.add("-XX:CompileCommand=CompileThresholdScaling," + m + ",0.01");
    }
    o.add("--add-modules=" + VECTOR_MODULE);
    o.add("-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=" + feature);
    return o;
  }

  /**
   * Vector data (Lucene's {@code .vec} files, 1,536 bytes a memory with bge-small's 384 floats)
   * from which the daemon takes {@link #vector}: 30,000 memories. Measured on Java 25 (session 15,
   * BENCHMARKS.md): at 10k memories the Panama flags saved nothing measurable per call (31.0
   * against 30.5 ms, within the noise) and cost 3 CPU-seconds of compiles over the first 1,000
   * calls; at 100k they saved 26 ms of CPU a call and were paid back after about 230 calls. The
   * line between the two puts the break-even near 12k; at 30k the compiles are paid back within
   * about 600 calls, a day of a hooked agent's searches.
   */
  static final long VECTOR_MIN_BYTES = 30_000L * 1_536;

  /**
   * The flags for a JVM of this feature version, with or without the module, at this store size.
   */
  static List<String> options(int feature, boolean vectorModule, long vectorBytes) {
    return feature >= 21
            && feature <= VECTOR_MAX_FEATURE
            && vectorModule
            && vectorBytes >= VECTOR_MIN_BYTES
        ? vector(feature)
        : C1_ONLY;
  }

  /** The flags for the daemon this JVM starts (the same runtime) on the store in {@code home}. */
  static List<String> options(Path home) {
    return options(
        Runtime.version().feature(),
        ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent(),
        vectorBytes(home.resolve("index")));
  }

  /** The size of the index's vector files (0 when there is no index yet). */
  static long vectorBytes(Path index) {
    if (!Files.isDirectory(index)) {
      return 0;
    }
    try (var files = Files.list(index)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".vec"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // merged away while listed
                }
              })
          .sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
