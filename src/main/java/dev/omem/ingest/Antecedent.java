package dev.omem.ingest;

import java.util.regex.Pattern;

/**
 * A kept piece that names its subject only by a pronoun ("Let's try setting <b>it</b> to start at
 * 3600.") is stored with the sentence before it in the same turn ("Let's set vite to run on a
 * different starting port in this project."), where the pronoun's referent usually is: a memory
 * must say what it is about, or a later search on its topic cannot find it and a change of mind
 * cannot be matched to the fact it replaces. Session 20 (issue 14): one of the dev corpus's three
 * unresolved supersede pairs failed so. The pronouns are English's closed class of third-person
 * ones, not a list of topics; nothing here is tuned.
 */
final class Antecedent {
  private static final Pattern REFERS_BACK =
      Pattern.compile("(?i)\\b(?:it|its|they|them|their)\\b");

  /**
   * The longest joined text: the bound on a memory that states one fact (a longer one is
   * not a fact a reader can take in at a glance), so a join never makes a fact too long to count.
   */
  static final int MAX_JOINED = 250;

  private Antecedent() {}

  /** Whether {@code text} refers back by a third-person pronoun. */
  static boolean refersBack(String text) {
    return REFERS_BACK.matcher(text).find();
  }

  /**
   * The text to store for a kept {@code piece} whose previous piece of the same turn is {@code
   * previous} (null: none, or it is kept and stored on its own): the two joined when the piece
   * refers back and the previous piece is the user's own statement (neither a question, which
   * states nothing, nor pasted output) and the join stays within {@link #MAX_JOINED}; else the
   * piece.
   */
  static String withAntecedent(String piece, String previous) {
    if (previous == null
        || previous.isBlank()
        || !refersBack(piece)
        || previous.contains("?")
        || PastedForm.pasted(previous)) {
      return piece;
    }
    String joined = previous.strip() + " " + piece.strip();
    return joined.length() <= MAX_JOINED ? joined : piece;
  }
}
