package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

  @Test
  void defaultIsQuantizedBgeAndAlwaysAvailable() {
    assertEquals("bge-small-en-v1.5-q", ModelCatalog.DEFAULT.id());
    assertEquals(Pooling.CLS, ModelCatalog.DEFAULT.pooling());
    assertEquals(384, ModelCatalog.DEFAULT.dimensions());
    assertEquals(512, ModelCatalog.DEFAULT.maxTokens());
    assertEquals(
        "Represent this sentence for searching relevant passages: ",
        ModelCatalog.DEFAULT.queryPrefix());
    assertTrue(ModelCatalog.isAvailable(ModelCatalog.DEFAULT));
    assertEquals(ModelCatalog.DEFAULT, ModelCatalog.all().get(0));
  }

  @Test
  void looksUpByIdIgnoringCaseAndBlanks() {
    assertEquals(
        Optional.of(ModelCatalog.ALL_MINILM_L6_V2_Q), ModelCatalog.byId(" All-MiniLM-L6-v2-q "));
    assertEquals(
        Optional.of(ModelCatalog.BGE_SMALL_EN_V15), ModelCatalog.byId("bge-small-en-v1.5"));
    assertTrue(ModelCatalog.byId("gpt-5").isEmpty());
    assertTrue(ModelCatalog.byId(null).isEmpty());
  }

  @Test
  void idsAndResourcesAreDistinct() {
    List<ModelSpec> all = ModelCatalog.all();
    assertEquals(4, all.size());
    assertEquals(4, new HashSet<>(all.stream().map(ModelSpec::id).toList()).size());
    assertEquals(4, new HashSet<>(all.stream().map(ModelSpec::onnxResource).toList()).size());
    for (ModelSpec spec : all) {
      assertEquals(384, spec.dimensions());
      assertTrue(ModelCatalog.artifactOf(spec).orElseThrow().startsWith("dev.langchain4j:"));
    }
  }

  @Test
  void unknownSpecsAreUnavailableAndHaveNoArtifact() {
    ModelSpec absent = new ModelSpec("x", "x.onnx", "x.json", Pooling.CLS, 384, 512, "");
    assertFalse(ModelCatalog.isAvailable(absent));
    assertTrue(ModelCatalog.artifactOf(absent).isEmpty());
  }

  @Test
  void everyAvailableModelLoadsAndEmbeds() {
    List<ModelSpec> available =
        ModelCatalog.all().stream().filter(ModelCatalog::isAvailable).toList();
    Assumptions.assumeTrue(
        available.size() > 1,
        "only the default model is on the class path (-Pbench-models adds one)");
    for (ModelSpec spec : available) {
      try (OnnxEmbedder embedder = OnnxEmbedder.load(spec)) {
        List<float[]> v =
            embedder.embedDocuments(
                List.of(
                    "The user prefers tabs over spaces for indentation",
                    "Use tabs, not spaces, to indent code",
                    "The deploy runs on Kubernetes in eu-west-1"));
        assertTrue(
            OnnxEmbedderTest.dot(v.get(0), v.get(1)) > OnnxEmbedderTest.dot(v.get(0), v.get(2)),
            spec.id());
      }
    }
  }
}
