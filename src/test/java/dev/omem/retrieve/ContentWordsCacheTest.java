package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cache of candidates' words gives what reading the text gives, and stays within its size. */
class ContentWordsCacheTest {
  final List<String> read = new ArrayList<>();

  ContentWordsCache cache(int maxChars) {
    return new ContentWordsCache(
        maxChars,
        t -> {
          read.add(t);
          return RelevanceFeatures.contentWords(t, false);
        });
  }

  @Test
  void aTextIsReadOnceAndGivesTheSameWords() {
    ContentWordsCache c = cache(1000);
    String text = "The bookingId is validated before the payments service charges";
    Set<String> first = c.of(text);
    assertEquals(RelevanceFeatures.contentWords(text, false), first);
    assertTrue(
        first.contains("book") && first.contains("bookingid"),
        "camelCase parts, stemmed: " + first);
    assertEquals(first, c.of(new String(text.toCharArray())), "an equal text read anew");
    assertEquals(List.of(text), read, "read once");
  }

  @Test
  void anEditedTextIsReadAnew() {
    ContentWordsCache c = cache(1000);
    assertTrue(c.of("Use pnpm for installs").contains("pnpm"));
    Set<String> edited = c.of("Use bun for installs");
    assertTrue(edited.contains("bun"));
    assertFalse(edited.contains("pnpm"), edited.toString());
    assertEquals(2, read.size());
  }

  @Test
  void theLeastRecentlyUsedTextsGoFirstOnceTheCharactersPassTheBound() {
    ContentWordsCache c = cache(30);
    c.of("alpha beta gamma"); // 16 characters
    c.of("delta epsilon"); // 13: 29 in all
    c.of("alpha beta gamma"); // used again: delta is now the eldest
    c.of("zeta eta"); // 8 more: 37 > 30, delta goes
    assertEquals(2, c.size());
    read.clear();
    c.of("alpha beta gamma");
    assertEquals(List.of(), read, "kept");
    c.of("delta epsilon");
    assertEquals(List.of("delta epsilon"), read, "evicted, so read again");
  }

  @Test
  void aTextLongerThanTheBoundIsNotKept() {
    ContentWordsCache c = cache(10);
    String text = "a text far longer than ten characters";
    assertEquals(RelevanceFeatures.contentWords(text, false), c.of(text));
    assertEquals(0, c.size());
  }
}
