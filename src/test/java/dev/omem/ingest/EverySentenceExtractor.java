package dev.omem.ingest;

import dev.omem.domain.Category;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A deliberately indiscriminate extractor: every sentence of every user turn (pasted code and
 * output blocks as one candidate each) becomes a fact, its category by {@link CategoryClassifier},
 * confidence 0.5 (it cannot tell). It stands for an over-eager extractor, so that the corpus shows
 * what the noise filter and admission remove on their own.
 */
final class EverySentenceExtractor implements FactExtractor {
  /** Halfway: an extractor with no opinion on whether a sentence is a fact. */
  static final double CONFIDENCE = 0.5;

  private static final Pattern FENCE = Pattern.compile("(?s)```.*?(```|$)");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

  @Override
  public List<Fact> extract(List<Turn> turns) {
    List<Fact> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Turn t : turns) {
      if (!"user".equalsIgnoreCase(t.role())) {
        continue;
      }
      List<String> candidates = new ArrayList<>();
      var m = FENCE.matcher(t.content());
      int last = 0;
      while (m.find()) {
        prose(t.content().substring(last, m.start()), candidates);
        candidates.add(m.group());
        last = m.end();
      }
      prose(t.content().substring(last), candidates);
      for (String c : candidates) {
        if (!c.isBlank() && seen.add(c.strip().toLowerCase(Locale.ROOT))) {
          Category cat = CategoryClassifier.classify(c);
          out.add(new Fact(c.strip(), cat, List.of(), 0.5, CONFIDENCE));
        }
      }
    }
    return out;
  }

  private static void prose(String text, List<String> into) {
    List<String> block = new ArrayList<>();
    for (String line : text.split("\\R")) {
      if (line.startsWith("    ") || line.startsWith("\t")) {
        block.add(line); // an indented stack frame or code line joins its block
        continue;
      }
      flush(block, into);
      for (String s : SENTENCE_END.split(line)) {
        if (!s.isBlank()) {
          into.add(s);
        }
      }
    }
    flush(block, into);
  }

  private static void flush(List<String> block, List<String> into) {
    if (!block.isEmpty()) {
      into.add(String.join("\n", block));
      block.clear();
    }
  }
}
