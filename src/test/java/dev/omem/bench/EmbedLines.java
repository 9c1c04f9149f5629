package dev.omem.bench;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds each line of stdin as a document with the shipped model and prints one comma-separated
 * unit vector per line: the cosine half of scripts/bench-extraction's must-not check. With {@code
 * --query} each line is embedded as a search query instead (scripts/bench-scale-exact).
 */
public final class EmbedLines {
  private EmbedLines() {}

  public static void main(String[] args) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        lines.add(l);
      }
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      if (args.length > 0 && args[0].equals("--query")) {
        for (String l : lines) {
          print(out, e.embedQuery(l));
        }
        out.flush();
        return;
      }
      for (int i = 0; i < lines.size(); i += OnnxEmbedder.MAX_BATCH) {
        for (float[] v : e.embedDocuments(lines.subList(i, Math.min(lines.size(), i + 32)))) {
          print(out, v);
        }
      }
    }
    out.flush();
  }

  private static void print(PrintStream out, float[] v) {
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < v.length; j++) {
      b.append(j == 0 ? "" : ",").append(v[j]);
    }
    out.println(b);
  }
}
