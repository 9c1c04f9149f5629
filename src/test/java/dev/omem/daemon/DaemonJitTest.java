package dev.omem.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonJitTest {
  /** Where this machine's Java 25 is (the launchers prefer it); the test is skipped without it. */
  private static final Path JAVA_25 =
      Path.of(
          System.getenv()
              .getOrDefault("OMEM_TEST_JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"),
          "bin",
          "java");

  /**
   * Java 17 to 20, a runtime without the vector module, a Java newer than measured, or a store too
   * small for the compiles to pay: C1 only.
   */
  @Test
  void fallsBackToC1OnlyWhereThePanamaScorerCannotRunOrDoesNotPay() {
    long big = DaemonJit.VECTOR_MIN_BYTES;
    assertEquals(DaemonJit.C1_ONLY, DaemonJit.options(17, true, big));
    assertEquals(DaemonJit.C1_ONLY, DaemonJit.options(20, true, big));
    assertEquals(DaemonJit.C1_ONLY, DaemonJit.options(25, false, big));
    assertEquals(DaemonJit.C1_ONLY, DaemonJit.options(DaemonJit.VECTOR_MAX_FEATURE + 1, true, big));
    assertEquals(DaemonJit.C1_ONLY, DaemonJit.options(25, true, big - 1));
    assertTrue(DaemonJit.options(21, true, big).contains("--add-modules=jdk.incubator.vector"));
    assertTrue(DaemonJit.options(25, true, big).contains("-XX:TieredStopAtLevel=4"));
  }

  /** The store's size is its vector files' (a fresh home has none: C1 only on any Java). */
  @Test
  void theStoresSizeIsItsVectorFiles(@TempDir Path home) throws IOException {
    assertEquals(0, DaemonJit.vectorBytes(home.resolve("index")));
    assertEquals(DaemonJit.C1_ONLY, DaemonJit.options(home));
    Path index = Files.createDirectories(home.resolve("index"));
    Files.write(index.resolve("_0_Lucene99HnswVectorsFormat_0.vec"), new byte[1536]);
    Files.write(index.resolve("_1_Lucene99HnswVectorsFormat_0.vec"), new byte[3072]);
    Files.write(index.resolve("_1.vex"), new byte[100]);
    assertEquals(4608, DaemonJit.vectorBytes(index));
  }

  /** The floor (the JVM running the tests, Java 17) takes the daemon's flags: C1 only. */
  @Test
  void java17StartsWithC1Only() throws IOException, InterruptedException {
    assumeTrue(Runtime.version().feature() < 21);
    Run r = run(DaemonLauncher.java(), DaemonJit.options(17, true, DaemonJit.VECTOR_MIN_BYTES));
    assertEquals(0, r.exit, r.err);
    assertTrue(r.err.contains("dot=96.0"), r.err);
    assertTrue(!r.err.contains("incubator API enabled"), r.err);
  }

  /**
   * A Java 25 with the daemon's vector flags: the JVM takes every one, prints nothing on stdout
   * (the compile commands are quiet), and Lucene 9.12.3 (whose own cap is Java 23) uses its Panama
   * scorer. Fails if C2 were off (Lucene refuses Panama under C1) or the version cap not lifted.
   */
  @Test
  void java25RunsLucenesPanamaScorerUnderTheDaemonsFlags()
      throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(JAVA_25), "no Java 25 at " + JAVA_25);
    Run r = run(JAVA_25.toString(), DaemonJit.vector(25));
    assertEquals(0, r.exit, r.err);
    assertEquals("", r.out);
    assertTrue(r.err.contains("Java vector incubator API enabled"), r.err);
    assertTrue(r.err.contains("dot=96.0"), r.err);
  }

  /**
   * A Java 25 on a small store takes the C1 flags too, the lowered compile thresholds with them,
   * and prints nothing on stdout (the daemon's stdout is not a protocol, but a launcher reads it).
   */
  @Test
  void java25TakesTheC1FlagsWithTheirThresholds() throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(JAVA_25), "no Java 25 at " + JAVA_25);
    assertTrue(
        DaemonJit.C1_ONLY.contains("-XX:CompileThresholdScaling=0.1"), "" + DaemonJit.C1_ONLY);
    Run r = run(JAVA_25.toString(), DaemonJit.options(25, true, 0));
    assertEquals(0, r.exit, r.err);
    assertEquals("", r.out);
    assertTrue(r.err.contains("dot=96.0"), r.err);
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String java, List<String> flags) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorProbe.class.getName()));
    Path err = Files.createTempFile("omem-jit-", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(err.toFile())
              .redirectInput(new File("/dev/null"))
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      return new Run(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.delete(err);
    }
  }
}
