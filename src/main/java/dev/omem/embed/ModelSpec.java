package dev.omem.embed;

/**
 * A sentence-embedding model that ships as class-path resources (from a Maven artifact that carries
 * its weights).
 *
 * @param id the name users configure ({@code OMEM_MODEL}) and the store records per vector
 * @param onnxResource class-path location of the .onnx file
 * @param tokenizerResource class-path location of the HuggingFace tokenizer.json
 * @param pooling how token vectors are pooled
 * @param dimensions vector length
 * @param maxTokens longest input, in word pieces including [CLS] and [SEP]
 * @param queryPrefix prepended to queries (BGE's retrieval instruction), or empty
 */
public record ModelSpec(
    String id,
    String onnxResource,
    String tokenizerResource,
    Pooling pooling,
    int dimensions,
    int maxTokens,
    String queryPrefix) {}
