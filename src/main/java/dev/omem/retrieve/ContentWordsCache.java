package dev.omem.retrieve;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The stemmed words of recently ranked memory texts ({@link RelevanceFeatures#contentWords}), so
 * that the 50 candidates of every search are not tokenised and stemmed again (7% of a search's Java
 * CPU, issue 15's session 10 profile). Keyed by the text itself, so an edited memory is read anew
 * and a hit is always what reading the text gives. Least recently used texts go first once the
 * cached texts pass {@link #MAX_CHARS} characters, which bounds its heap (about 4 MiB).
 */
final class ContentWordsCache {
  /** 1M characters: every candidate of a 10k store at the synthetic memories' ~100 characters. */
  static final int MAX_CHARS = 1 << 20;

  private final int maxChars;
  private final Function<String, Set<String>> read;
  private final LinkedHashMap<String, Set<String>> words = new LinkedHashMap<>(256, 0.75f, true);
  private long chars;

  ContentWordsCache(int maxChars, Function<String, Set<String>> read) {
    this.maxChars = maxChars;
    this.read = read;
  }

  /** The words of {@code text}, read once and kept (unmodifiable). */
  Set<String> of(String text) {
    synchronized (words) {
      Set<String> hit = words.get(text);
      if (hit != null) {
        return hit;
      }
    }
    Set<String> w = Set.copyOf(read.apply(text)); // outside the lock: searches run at once
    if (text.length() > maxChars) {
      return w;
    }
    synchronized (words) {
      if (words.putIfAbsent(text, w) == null) {
        chars += text.length();
        Iterator<Map.Entry<String, Set<String>>> it = words.entrySet().iterator();
        while (chars > maxChars && it.hasNext()) {
          chars -= it.next().getKey().length();
          it.remove();
        }
      }
    }
    return w;
  }

  /** Texts held now. */
  int size() {
    synchronized (words) {
      return words.size();
    }
  }
}
