package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactTextTest {
  @Test
  void trailingPunctuationIsStrippedAsTheRegexDid() {
    // The loop replaced `replaceAll("[._/-]+$", "")`: every word keeps the same content word.
    for (String w :
        List.of(
            "build.gradle.",
            "src/",
            "a-b--",
            "snake_case_",
            "v1.2.3",
            "x._/-._",
            "c++",
            "c#.",
            "plain",
            "9",
            "-")) {
      assertEquals(w.replaceAll("[._/-]+$", ""), FactText.withoutTrailingPunctuation(w), w);
    }
  }

  @Test
  void contentWordsDropTrailingDotsAndSlashes() {
    assertEquals(
        Set.of("gradle", "read", "build.gradle", "src/main"),
        FactText.contentWords("Gradle reads build.gradle. from src/main/"));
  }
}
