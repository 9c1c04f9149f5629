package dev.omem.ingest;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped model's document vectors of the dev corpus's texts, kept in a file between fits
 * (target/extraction-embeddings.bin): a refit embeds only the texts it has not seen, because CPU is
 * scarce and the model gives a text the same vector whenever it is embedded ({@code OnnxEmbedder}).
 * The model is loaded only when a text is missing. Keyed by the exact text; the file is rewritten
 * on {@link #close} when new texts were embedded.
 */
final class EmbeddingCache implements AutoCloseable {
  private final Path file;
  private final Map<String, float[]> vectors = new LinkedHashMap<>();
  private OnnxEmbedder embedder;
  private int added;

  EmbeddingCache(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        while (true) {
          String text;
          try {
            text = in.readUTF();
          } catch (EOFException end) {
            break;
          }
          float[] v = new float[in.readInt()];
          for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
          }
          vectors.put(text, v);
        }
      }
    }
  }

  /** The vector of {@code text}, embedded now when the cache lacks it. */
  float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  /** The vectors of {@code texts}, in order; the missing ones embedded in one batch. */
  List<float[]> embed(List<String> texts) {
    List<String> missing = texts.stream().filter(t -> !vectors.containsKey(t)).distinct().toList();
    if (!missing.isEmpty()) {
      if (embedder == null) {
        embedder = OnnxEmbedder.load(ModelCatalog.DEFAULT);
      }
      List<float[]> vs = embedder.embedDocuments(missing);
      for (int i = 0; i < missing.size(); i++) {
        vectors.put(missing.get(i), vs.get(i));
      }
      added += missing.size();
    }
    List<float[]> out = new ArrayList<>();
    texts.forEach(t -> out.add(vectors.get(t)));
    return out;
  }

  @Override
  public void close() throws IOException {
    if (embedder != null) {
      embedder.close();
    }
    if (added == 0) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float x : e.getValue()) {
          out.writeFloat(x);
        }
      }
    }
    System.err.println(
        "embedding cache: " + added + " new texts, " + vectors.size() + " in " + file);
  }
}
