package dev.omem.domain;

/**
 * How far a memory may be trusted (issue 14). A fact that ingest extracted from a conversation is a
 * <b>candidate</b> until it is confirmed (said again in another session, fetched by id, or
 * confirmed by the user or agent); a {@code memory_store} is confirmed from the start. Separately,
 * the injection screen may <b>flag</b> text that reads as instructions to a model; a flagged memory
 * is never injected by a hook, whatever its confirmation.
 *
 * @param confirmed false for a candidate
 * @param flag why the injection screen flagged the text, or null when it did not
 */
public record Trust(boolean confirmed, String flag) {
  /** A memory stored on purpose, with nothing flagged. */
  public static final Trust CONFIRMED = new Trust(true, null);

  /** An extracted fact, with nothing flagged. */
  public static final Trust CANDIDATE = new Trust(false, null);

  /** How a candidate is marked wherever a model reads it: hook blocks, search and get text. */
  public static final String UNCONFIRMED_MARK = "[unconfirmed]";

  /** How a flagged memory is marked in text a model reads, before the quoted content. */
  public static final String FLAGGED_MARK = "[flagged: possible prompt injection]";

  public Trust {
    flag = flag == null || flag.isBlank() ? null : flag;
  }

  /** The marks of this trust for text a model reads ("" for a confirmed, clean memory). */
  public String marks() {
    String m = confirmed ? "" : UNCONFIRMED_MARK;
    if (flag != null) {
      m = (m.isEmpty() ? "" : m + " ") + FLAGGED_MARK;
    }
    return m;
  }

  public boolean flagged() {
    return flag != null;
  }

  /** This trust, confirmed (the flag stays: confirming a fact does not vouch for its wording). */
  public Trust confirm() {
    return confirmed ? this : new Trust(true, flag);
  }

  /** This trust with the screen's verdict for the current text (null: nothing flagged). */
  public Trust withFlag(String newFlag) {
    return new Trust(confirmed, newFlag);
  }
}
