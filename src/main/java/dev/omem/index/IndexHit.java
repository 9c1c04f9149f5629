package dev.omem.index;

/** A memory id and the raw score one retriever gave it (BM25 score or vector similarity). */
public record IndexHit(String id, float score) {}
