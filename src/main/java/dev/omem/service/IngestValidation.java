package dev.omem.service;

import dev.omem.domain.Category;
import dev.omem.domain.OmemException;
import dev.omem.ingest.FactExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The checks of an ingest request, and its turns redacted: nothing private reaches the log. */
final class IngestValidation {
  private IngestValidation() {}

  /** {@code smart} (the default) or {@code raw}. */
  static String mode(IngestRequest r) {
    String mode = r.mode() == null ? "smart" : r.mode().trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("raw") && !mode.equals("smart")) {
      throw OmemException.invalid("mode must be 'raw' or 'smart', got '" + r.mode() + "'");
    }
    return mode;
  }

  /** The messages as redacted turns; a message that was entirely private is left out. */
  static List<FactExtractor.Turn> turns(IngestRequest r) {
    if (r.messages() == null || r.messages().isEmpty()) {
      throw OmemException.invalid("messages is required: a list of {role, content}");
    }
    if (r.messages().size() > Limits.MAX_INGEST_MESSAGES) {
      throw OmemException.invalid(
          r.messages().size() + " messages given; at most " + Limits.MAX_INGEST_MESSAGES);
    }
    List<FactExtractor.Turn> turns = new ArrayList<>();
    for (IngestRequest.Message msg : r.messages()) {
      if (msg == null || msg.role() == null || msg.content() == null) {
        throw OmemException.invalid("each message needs a role and a content");
      }
      if (msg.role().equalsIgnoreCase("user")) {
        RequestValidator.checkSize(msg.content()); // what the user says may become a memory
      }
      String content = RequestValidator.redacted(msg.content());
      if (content != null) {
        turns.add(new FactExtractor.Turn(msg.role(), content));
      }
    }
    return turns;
  }

  /**
   * The caller's own facts (the {@code facts} extension), checked and redacted before the task
   * saves them, or null when none were given. Any bad fact refuses the whole request, so nothing is
   * half-stored; a fact whose text was entirely private is left out, as such a message is.
   */
  static List<FactExtractor.Fact> facts(IngestRequest r, String mode) {
    if (r.facts() == null) {
      return null;
    }
    if (!mode.equals("smart")) {
      throw OmemException.invalid("facts are extracted facts: give them with mode 'smart' only");
    }
    if (r.facts().size() > Limits.MAX_INGEST_FACTS) {
      throw OmemException.invalid(
          r.facts().size() + " facts given; at most " + Limits.MAX_INGEST_FACTS);
    }
    List<FactExtractor.Fact> out = new ArrayList<>();
    for (int i = 0; i < r.facts().size(); i++) {
      try {
        FactExtractor.Fact f = fact(r.facts().get(i));
        if (f != null) {
          out.add(f);
        }
      } catch (OmemException e) {
        throw OmemException.invalid("facts[" + i + "]: " + e.getMessage());
      }
    }
    return out;
  }

  private static FactExtractor.Fact fact(IngestRequest.Fact f) {
    if (f == null || f.text() == null || f.text().isBlank()) {
      throw OmemException.invalid("text is required and must not be empty");
    }
    RequestValidator.checkSize(f.text());
    if (f.category() == null) {
      throw OmemException.invalid("category is required; use one of: " + Category.names());
    }
    Category category = RequestValidator.category(f.category());
    List<String> tags = RequestValidator.tags(f.tags());
    double importance = RequestValidator.unit("importance", f.importance(), 0.5);
    double confidence = RequestValidator.unit("confidence", f.confidence(), 0.5);
    String text = RequestValidator.redacted(f.text());
    return text == null
        ? null
        : new FactExtractor.Fact(text.strip(), category, tags, importance, confidence);
  }
}
