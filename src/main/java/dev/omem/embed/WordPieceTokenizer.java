package dev.omem.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java BERT WordPiece tokenizer that reproduces, id for id, what the HuggingFace {@code
 * tokenizers} library produces from the same {@code tokenizer.json} for a single sequence with
 * special tokens added.
 *
 * <p>The pipeline is HuggingFace's: the added (special) tokens such as {@code [SEP]} are cut out of
 * the raw text first; every other piece goes through the {@code BertNormalizer} (drop control
 * characters, map whitespace to a space, put spaces around CJK ideographs, strip accents, lower
 * case), the {@code BertPreTokenizer} (split on whitespace, isolate every punctuation character)
 * and the {@code WordPiece} model (greedy longest match with the {@code ##} continuing prefix; a
 * word longer than {@code max_input_chars_per_word} code points, or one that cannot be covered by
 * the vocabulary, becomes {@code [UNK]}). The result is framed as {@code [CLS] ... [SEP]}.
 *
 * <p>Only this configuration is accepted: {@link #fromJson} rejects any other normalizer,
 * pre-tokenizer or model type rather than tokenize differently from the reference.
 *
 * <p>Immutable and thread-safe once constructed.
 */
public final class WordPieceTokenizer {

  /**
   * The model inputs for one text.
   *
   * @param ids word-piece ids, starting with [CLS] and ending with [SEP]
   * @param attentionMask all ones (no padding is added here), same length as {@code ids}
   * @param typeIds all zeros (single sequence), same length as {@code ids}
   */
  public record Encoding(long[] ids, long[] attentionMask, long[] typeIds) {

    /** Number of tokens, including [CLS] and [SEP]. */
    public int length() {
      return ids.length;
    }
  }

  private static final String CLS = "[CLS]";
  private static final String SEP = "[SEP]";
  private static final String PAD = "[PAD]";

  /** Whole vocabulary, for the first piece of a word. */
  private final Map<String, Integer> vocab;

  /**
   * Vocabulary entries that start with the continuing prefix, keyed without it, so that looking up
   * a continuation piece needs no string concatenation.
   */
  private final Map<String, Integer> continuations;

  /** Longest vocabulary entry in UTF-16 units: no longer candidate piece can match. */
  private final int maxPieceLength;

  private final int maxInputCharsPerWord;
  private final int unkId;
  private final int clsId;
  private final int sepId;
  private final int padId;

  /** Added tokens matched verbatim in the raw text, longest first among equal starts. */
  private final String[] addedContents;

  private final int[] addedIds;

  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  private WordPieceTokenizer(Map<?, ?> root) {
    Map<?, ?> model = object(root, "model");
    requireType(model, "WordPiece", "model");
    requireType(object(root, "pre_tokenizer"), "BertPreTokenizer", "pre_tokenizer");

    Map<?, ?> normalizer = object(root, "normalizer");
    requireType(normalizer, "BertNormalizer", "normalizer");
    cleanText = flag(normalizer, "clean_text", true);
    handleChineseChars = flag(normalizer, "handle_chinese_chars", true);
    lowercase = flag(normalizer, "lowercase", true);
    // HuggingFace: strip_accents null means "do whatever lowercase does" (as the original BERT).
    stripAccents = flag(normalizer, "strip_accents", lowercase);

    String prefix = text(model, "continuing_subword_prefix", "##");
    maxInputCharsPerWord = number(model, "max_input_chars_per_word", 100);
    Map<?, ?> vocabJson = object(model, "vocab");
    if (vocabJson.isEmpty()) {
      throw new IllegalArgumentException("tokenizer.json has no model.vocab");
    }
    Map<String, Integer> all = new HashMap<>(vocabJson.size() * 2);
    Map<String, Integer> cont = new HashMap<>(vocabJson.size());
    int longest = 0;
    for (Map.Entry<?, ?> e : vocabJson.entrySet()) {
      if (!(e.getValue() instanceof Number)) {
        throw new IllegalArgumentException("tokenizer.json vocab id is not a number: " + e);
      }
      String token = (String) e.getKey();
      int id = ((Number) e.getValue()).intValue();
      all.put(token, id);
      if (token.startsWith(prefix)) {
        cont.put(token.substring(prefix.length()), id);
      }
      longest = Math.max(longest, token.length());
    }
    vocab = all;
    continuations = cont;
    maxPieceLength = longest;

    List<String> contents = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    Object addedTokens = root.get("added_tokens");
    for (Object item : addedTokens instanceof List ? (List<?>) addedTokens : List.of()) {
      Map<?, ?> added = item instanceof Map ? (Map<?, ?>) item : Map.of();
      if (flag(added, "normalized", false)) {
        // Matched after normalization by HuggingFace; BERT tokenizers have none, and such a
        // token is an ordinary vocabulary entry anyway.
        continue;
      }
      if (flag(added, "lstrip", false)
          || flag(added, "rstrip", false)
          || flag(added, "single_word", false)) {
        throw new IllegalArgumentException(
            "unsupported added token options (lstrip/rstrip/single_word): " + added);
      }
      contents.add(text(added, "content", ""));
      ids.add(number(added, "id", -1));
    }
    addedContents = contents.toArray(new String[0]);
    addedIds = ids.stream().mapToInt(Integer::intValue).toArray();

    unkId = requireId(text(model, "unk_token", "[UNK]"));
    clsId = requireId(CLS);
    sepId = requireId(SEP);
    padId = requireId(PAD);
  }

  /**
   * Reads a HuggingFace {@code tokenizer.json}; the stream is read to its end but not closed.
   *
   * @throws IllegalArgumentException if it is not a BERT WordPiece tokenizer as described above
   */
  public static WordPieceTokenizer fromJson(InputStream json) throws IOException {
    Object root = MiniJson.parse(new String(json.readAllBytes(), StandardCharsets.UTF_8));
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException("tokenizer.json is not a JSON object");
    }
    return new WordPieceTokenizer((Map<?, ?>) root);
  }

  /**
   * Reads a {@code tokenizer.json} from the class path (a name as for {@link
   * ClassLoader#getResource}).
   *
   * @throws UncheckedIOException if the resource is missing or unreadable
   */
  public static WordPieceTokenizer fromResource(String resource) {
    try (InputStream in = ClassPathResources.open(resource)) {
      return fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + resource, e);
    }
  }

  /** The id used to pad batches; it carries attention mask 0. */
  public int padId() {
    return padId;
  }

  /**
   * Tokenizes {@code text} into {@code [CLS] pieces [SEP]}, keeping only the first {@code maxTokens
   * - 2} pieces (HuggingFace's right truncation for one sequence).
   *
   * @param maxTokens the longest result, including [CLS] and [SEP]; at least 2
   */
  public Encoding encode(String text, int maxTokens) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException(
          "maxTokens must leave room for [CLS] and [SEP]: " + maxTokens);
    }
    // [CLS] plus the first maxTokens - 2 pieces.
    int wanted = maxTokens - 1;
    IdList out = new IdList(Math.min(wanted, text.length() + 1) + 1);
    out.add(clsId);
    appendText(text, out, wanted);
    if (out.size() > wanted) {
      out.truncate(wanted);
    }
    out.add(sepId);
    long[] ids = out.toLongArray();
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1L);
    return new Encoding(ids, mask, new long[ids.length]);
  }

  /**
   * Appends the ids of {@code text} (no framing) to {@code out}, stopping early once {@code out}
   * holds {@code wanted} ids: truncation would drop the rest, so a huge text costs only the prefix
   * the model sees.
   */
  private void appendText(String text, IdList out, int wanted) {
    int start = 0;
    int n = text.length();
    while (start < n && out.size() < wanted) {
      // Leftmost, then longest, added token, as HuggingFace's Aho-Corasick LeftmostLongest.
      int matchAt = -1;
      int matchIndex = -1;
      for (int i = start; i < n && matchAt < 0; i++) {
        for (int k = 0; k < addedContents.length; k++) {
          String c = addedContents[k];
          if (text.startsWith(c, i)
              && (matchIndex < 0 || c.length() > addedContents[matchIndex].length())) {
            matchAt = i;
            matchIndex = k;
          }
        }
      }
      int end = matchAt < 0 ? n : matchAt;
      if (end > start) {
        appendPlain(text.substring(start, end), out, wanted);
      }
      if (matchAt < 0) {
        return;
      }
      out.add(addedIds[matchIndex]);
      start = matchAt + addedContents[matchIndex].length();
    }
  }

  /** Normalizes, pre-tokenizes and word-pieces text that contains no added token. */
  private void appendPlain(String text, IdList out, int wanted) {
    String normalized =
        BertText.normalize(text, cleanText, handleChineseChars, stripAccents, lowercase);
    int n = normalized.length();
    int wordStart = -1;
    for (int i = 0; i < n && out.size() < wanted; ) {
      int cp = normalized.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (BertText.isWhitespace(cp)) {
        if (wordStart >= 0) {
          appendWord(normalized.substring(wordStart, i), out);
          wordStart = -1;
        }
      } else if (BertText.isPunctuation(cp)) {
        if (wordStart >= 0) {
          appendWord(normalized.substring(wordStart, i), out);
          wordStart = -1;
        }
        appendWord(normalized.substring(i, next), out);
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i = next;
    }
    if (wordStart >= 0 && out.size() < wanted) {
      appendWord(normalized.substring(wordStart), out);
    }
  }

  /** WordPiece: greedy longest-match-first over the vocabulary, or a single [UNK]. */
  private void appendWord(String word, IdList out) {
    int n = word.length();
    if (word.codePointCount(0, n) > maxInputCharsPerWord) {
      out.add(unkId);
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < n) {
      int end = Math.min(n, start + maxPieceLength);
      if (end < n && Character.isLowSurrogate(word.charAt(end))) {
        end--; // never cut a surrogate pair in half
      }
      Map<String, Integer> table = start == 0 ? vocab : continuations;
      Integer id = null;
      while (end > start) {
        id = table.get(word.substring(start, end));
        if (id != null) {
          break;
        }
        end -= Character.charCount(word.codePointBefore(end));
      }
      if (id == null) {
        // HuggingFace replaces the whole word, not just the uncovered rest, with [UNK].
        out.truncate(mark);
        out.add(unkId);
        return;
      }
      out.add(id);
      start = end;
    }
  }

  private int requireId(String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("tokenizer.json vocabulary lacks " + token);
    }
    return id;
  }

  private static void requireType(Map<?, ?> node, String type, String what) {
    String actual = text(node, "type", "");
    if (!type.equals(actual)) {
      throw new IllegalArgumentException(
          "unsupported tokenizer.json: " + what + " is '" + actual + "', expected " + type);
    }
  }

  /** The member object, or an empty map if it is absent or null. */
  private static Map<?, ?> object(Map<?, ?> node, String key) {
    Object value = node.get(key);
    return value instanceof Map ? (Map<?, ?>) value : Map.of();
  }

  private static String text(Map<?, ?> node, String key, String absent) {
    Object value = node.get(key);
    return value instanceof String ? (String) value : absent;
  }

  private static boolean flag(Map<?, ?> node, String key, boolean absent) {
    Object value = node.get(key);
    return value instanceof Boolean ? (Boolean) value : absent;
  }

  private static int number(Map<?, ?> node, String key, int absent) {
    Object value = node.get(key);
    return value instanceof Number ? ((Number) value).intValue() : absent;
  }

  /** A growable int list, to avoid boxing every id. */
  private static final class IdList {
    private int[] items;
    private int size;

    IdList(int capacity) {
      items = new int[Math.max(capacity, 4)];
    }

    void add(int id) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = id;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    long[] toLongArray() {
      long[] result = new long[size];
      for (int i = 0; i < size; i++) {
        result[i] = items[i];
      }
      return result;
    }
  }
}
