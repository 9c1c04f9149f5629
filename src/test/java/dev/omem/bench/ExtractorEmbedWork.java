package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.ModelSpec;
import dev.omem.ingest.ExtractionModel;
import dev.omem.ingest.FactExtractor;
import dev.omem.ingest.LearnedExtractor;
import dev.omem.ingest.LocalRulesExtractor;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Issue 14, the Stop capture's CPU: how many texts (and characters) the learned extractor hands the
 * ONNX model per capture, against what embedding every piece's context would cost, on the dev
 * conversations (read at run time) and on {@link CaptureBench}'s transcript. A count, not a time:
 * on the shared machine the time is noise, and the embeddings are three quarters of a capture's CPU
 * (BENCHMARKS.md). Usage: {@code java -Xss2m -cp target/classes:target/test-classes:target/omem.jar
 * dev.omem.bench.ExtractorEmbedWork ../shared/bench/extraction-dev.json}.
 */
public final class ExtractorEmbedWork {
  private ExtractorEmbedWork() {}

  /** The real model, counting what it embeds. */
  private static final class Counting implements Embedder {
    final Embedder delegate;
    long texts;
    long chars;

    Counting(Embedder delegate) {
      this.delegate = delegate;
    }

    @Override
    public ModelSpec spec() {
      return delegate.spec();
    }

    @Override
    public List<float[]> embedDocuments(List<String> in) {
      texts += in.size();
      in.forEach(t -> chars += t.length());
      return delegate.embedDocuments(in);
    }

    @Override
    public float[] embedQuery(String query) {
      return delegate.embedQuery(query);
    }

    @Override
    public void close() {}
  }

  public static void main(String[] args) throws Exception {
    try (EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT)) {
      provider.startLoading();
      Counting counting = new Counting(provider.awaitReady(Duration.ofMinutes(3)).orElseThrow());
      LearnedExtractor x =
          new LearnedExtractor(provider, ExtractionModel.load(), new LocalRulesExtractor());
      List<List<FactExtractor.Turn>> dev = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(new File(args[0])).get("conversations")) {
        List<FactExtractor.Turn> turns = new ArrayList<>();
        for (JsonNode m : c.get("messages")) {
          turns.add(new FactExtractor.Turn(m.get("role").asText(), m.get("content").asText()));
        }
        dev.add(turns);
      }
      report("dev corpus (" + dev.size() + " captures)", dev, x, counting);
      report("CaptureBench's 50-turn transcript", List.of(CaptureBench.turns()), x, counting);
    }
  }

  private static void report(
      String what, List<List<FactExtractor.Turn>> captures, LearnedExtractor x, Counting c) {
    long texts0 = c.texts;
    long chars0 = c.chars;
    long everyTexts = 0;
    long everyChars = 0;
    int facts = 0;
    for (List<FactExtractor.Turn> turns : captures) {
      facts += x.extract(turns, c).size();
      Set<String> all = new LinkedHashSet<>();
      for (LearnedExtractor.Sentence s : LearnedExtractor.sentences(turns)) {
        all.add(s.text());
        if (!s.before().isEmpty()) {
          all.add(s.before());
        }
      }
      everyTexts += all.size();
      everyChars += all.stream().mapToInt(String::length).sum();
    }
    System.out.printf(
        "%s: every context embedded %d texts, %d chars; embedded %d texts, %d chars (%.1f%%); %d"
            + " facts%n",
        what,
        everyTexts,
        everyChars,
        c.texts - texts0,
        c.chars - chars0,
        100.0 * (c.chars - chars0) / everyChars,
        facts);
  }
}
