package dev.omem.hooks;

import dev.omem.domain.Memory;
import dev.omem.domain.Trust;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@code <omem-memories>} block being filled within a budget of characters: one quoted line per
 * memory ({@link MemoryBlock#quote}), candidates marked, sections whose heading is written only
 * when one of their memories fits. Keeps the keys and ids of what it shows.
 */
final class MemoryBlockBuilder {
  /** Each memory shown is at most this long: a line of context, not a document. */
  static final int MEMORY_CHARS = 300;

  private final StringBuilder text;
  private final int budget;
  private final List<String> keys = new ArrayList<>();

  /** The ids of the memories shown: each counts as accessed. */
  private final List<String> ids = new ArrayList<>();

  private final Set<String> seen = new HashSet<>();
  private String pendingSection;
  private int shown;

  MemoryBlockBuilder(String header, int budget) {
    this.text = new StringBuilder(header);
    this.budget = budget;
  }

  /** Starts a section; its heading is written only when one of its memories fits. */
  void section(String heading) {
    pendingSection = heading;
  }

  /**
   * Adds a memory if the text, with it and the closing tag, stays within {@code limit} (and the
   * whole budget); a memory already in the block is not repeated. {@code m} is null for a profile
   * fact, which comes as text.
   */
  void add(String content, Memory m, int limit) {
    String contentKey = MemoryBlock.contentKey(content);
    if (!seen.add(contentKey)) {
      return;
    }
    // A profile fact comes as text, its candidate mark in front: the mark stays outside the quote.
    boolean unconfirmed = m != null ? m.unconfirmed() : InjectionPolicy.markedUnconfirmed(content);
    String quoted = m != null ? content : InjectionPolicy.withoutMark(content);
    String line =
        "- "
            + (unconfirmed ? Trust.UNCONFIRMED_MARK + " " : "")
            + MemoryBlock.quote(quoted, MEMORY_CHARS);
    if (m != null) {
      line +=
          " ("
              + m.category().wire()
              + ", "
              + m.createdAt().atOffset(ZoneOffset.UTC).toLocalDate()
              + ")";
    }
    line += "\n";
    String heading = pendingSection == null ? "" : pendingSection + "\n";
    int after = text.length() + heading.length() + line.length() + MemoryBlock.CLOSE.length();
    if (after > Math.min(limit, budget)) {
      return;
    }
    text.append(heading).append(line);
    pendingSection = null;
    shown++;
    keys.add(contentKey);
    if (m != null) {
      keys.add(MemoryBlock.idKey(m.id()));
      ids.add(m.id());
    }
  }

  /** How many memories the block shows. */
  int shown() {
    return shown;
  }

  /** The keys a session remembers what it was shown by ({@link MemoryBlock#contentKey}, ids). */
  List<String> keys() {
    return keys;
  }

  /** The ids of the memories shown. */
  List<String> ids() {
    return ids;
  }

  /** The whole block, closed. */
  String close() {
    return text.append(MemoryBlock.CLOSE).toString();
  }
}
