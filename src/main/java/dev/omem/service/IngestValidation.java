package dev.omem.service;

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
}
