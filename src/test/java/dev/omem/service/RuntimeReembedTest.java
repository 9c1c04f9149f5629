package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.VectorModel;
import dev.omem.store.Vectors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the store records the ONNX Runtime version beside the model of each vector. A real
 * SQLite store whose vectors were recorded under another runtime of the same model is re-embedded
 * once, in the background, through the model-change backfill; vectors recorded under this runtime
 * are left as they are.
 */
class RuntimeReembedTest {
  private static final Caller ME = new Caller(null, "runtime-test", "test", null);
  private static final String OTHER_RUNTIME = "onnxruntime-0.9.0";

  @TempDir Path home;

  @Test
  void vectorsOfAnotherRuntimeAreReembeddedAndThoseOfThisRuntimeAreNot() throws Exception {
    List<String> texts =
        List.of(
            "The billing service deploys with Helm to the eu-west cluster",
            "Integration tests need a local Postgres 16 started by docker compose",
            "We pin Node 20 in .nvmrc for the web frontend");
    List<String> ids;
    String current;
    Map<String, float[]> original;
    try (LocalMemoryService svc = open()) {
      assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
      ids = texts.stream().map(t -> store(svc, t).id()).toList();
      current = (String) svc.health().get("vectors_made_with");
      assertTrue(
          current.startsWith(OmemConfig.DEFAULT_MODEL + "@onnxruntime-"),
          "the runtime is recorded beside the model: " + current);
      awaitAllEmbedded(svc);
      original = vectors(ids, current);
      assertEquals(3, original.size(), "every memory has a vector of this model and runtime");
    }

    // Two memories as a store written under another runtime holds them (a marker vector, so a
    // rewrite shows), one as this runtime wrote it but with a marker too (so a rewrite shows).
    float[] marker = new float[original.get(ids.get(0)).length];
    marker[0] = 1f;
    String other = VectorModel.of(OmemConfig.DEFAULT_MODEL, OTHER_RUNTIME);
    setVector(ids.get(0), marker, other);
    setVector(ids.get(1), marker, other);
    setVector(ids.get(2), marker, current);

    try (LocalMemoryService svc = open()) {
      assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
      awaitAllEmbedded(svc);
      Map<String, float[]> after = vectors(ids, current);
      assertEquals(3, after.size(), "all three recorded with this runtime: " + recorded(ids));
      for (String id : ids.subList(0, 2)) {
        assertArrayEquals(
            original.get(id), after.get(id), 1e-5f, "re-embedded with this runtime: " + id);
      }
      assertArrayEquals(marker, after.get(ids.get(2)), "a vector of this runtime is not redone");
      // The vectors of the other runtime were replaced, not kept beside the new ones.
      assertFalse(recorded(ids).containsValue(other));
    }
  }

  private LocalMemoryService open() {
    return LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
  }

  private static Memory store(LocalMemoryService svc, String content) {
    return svc.store(ME, new StoreRequest(content, null, null, "entities", null, null, null));
  }

  /** Waits until the backfill has nothing left (health counts vectors not of this runtime). */
  private static void awaitAllEmbedded(LocalMemoryService svc) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (((Number) svc.health().get("memories_without_vector")).longValue() > 0) {
      assertTrue(System.nanoTime() < deadline, "backfill finishes: " + svc.health());
      Thread.sleep(100);
    }
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + home.resolve("omem.db"));
  }

  private Map<String, float[]> vectors(List<String> ids, String model) throws Exception {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement("SELECT embedding FROM memories WHERE id=? AND embedding_model=?")) {
      for (String id : ids) {
        ps.setString(1, id);
        ps.setString(2, model);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBytes(1) != null) {
            out.put(id, Vectors.fromBlob(rs.getBytes(1)));
          }
        }
      }
    }
    return out;
  }

  private Map<String, String> recorded(List<String> ids) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement("SELECT embedding_model FROM memories WHERE id=?")) {
      for (String id : ids) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.put(id, rs.getString(1));
        }
      }
    }
    return out;
  }

  private void setVector(String id, float[] vector, String model) throws Exception {
    try (Connection c = db();
        PreparedStatement ps =
            c.prepareStatement("UPDATE memories SET embedding=?, embedding_model=? WHERE id=?")) {
      ps.setBytes(1, Vectors.toBlob(vector));
      ps.setString(2, model);
      ps.setString(3, id);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
