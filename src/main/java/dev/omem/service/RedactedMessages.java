package dev.omem.service;

import dev.omem.domain.OmemException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns redacted on this machine, before they leave it: the hooks' captures for a remote server and
 * its offline queue (issue 17). The same gate the server applies ({@link
 * RequestValidator#redacted}), so a secret in a turn never crosses the network nor rests in the
 * queue's files (DESIGN.md decision 8).
 */
public final class RedactedMessages {
  private RedactedMessages() {}

  /**
   * The messages redacted; a message that was entirely private, or that the server would refuse as
   * malformed text, is left out (ingest leaves out the first kind too).
   */
  public static List<IngestRequest.Message> of(List<IngestRequest.Message> messages) {
    List<IngestRequest.Message> out = new ArrayList<>();
    for (IngestRequest.Message m : messages) {
      if (m == null || m.role() == null || m.content() == null) {
        continue;
      }
      String content;
      try {
        content = RequestValidator.redacted(m.content());
      } catch (OmemException e) {
        continue;
      }
      if (content != null) {
        out.add(new IngestRequest.Message(m.role(), content));
      }
    }
    return out;
  }
}
