package dev.omem.embed;

/** How token vectors become one sentence vector. */
public enum Pooling {
  /** The first ([CLS]) token's vector, as BGE models are trained. */
  CLS,
  /** The attention-masked mean of all token vectors, as sentence-transformers MiniLM models. */
  MEAN
}
