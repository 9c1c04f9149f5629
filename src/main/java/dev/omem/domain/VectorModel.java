package dev.omem.domain;

/**
 * What a stored vector was made with, as the store records it beside the vector: the model's id
 * and, after {@code @}, the runtime that ran it ({@code bge-small-en-v1.5-q@onnxruntime-1.20.0}).
 * Two runtimes give the same model's vectors that differ slightly (up to 4.6e-3 in 1 - cosine
 * between ONNX Runtime 1.20 and 1.29, BENCHMARKS.md), so a store made under another runtime is
 * re-embedded once in the background; meanwhile its vectors still serve search, since the model is
 * the same. A value without {@code @} (stores of before the runtime was recorded) names the model
 * only and is re-embedded once too.
 */
public final class VectorModel {
  private static final char SEPARATOR = '@';

  private VectorModel() {}

  /** The recorded value for vectors of {@code modelId} made by {@code runtime}. */
  public static String of(String modelId, String runtime) {
    return runtime == null || runtime.isBlank() ? modelId : modelId + SEPARATOR + runtime;
  }

  /** The model's id of a recorded value, without the runtime. */
  public static String modelOf(String recorded) {
    int at = recorded.indexOf(SEPARATOR);
    return at < 0 ? recorded : recorded.substring(0, at);
  }

  /** Whether two recorded values (or model ids) name the same model, whatever their runtimes. */
  public static boolean sameModel(String a, String b) {
    return a != null && b != null && modelOf(a).equals(modelOf(b));
  }
}
