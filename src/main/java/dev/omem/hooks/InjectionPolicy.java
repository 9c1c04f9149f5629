package dev.omem.hooks;

import dev.omem.domain.Memory;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.Trust;
import dev.omem.service.Limits;

/**
 * Which memories a hook may inject unasked (issue 14). A memory the injection screen flagged is
 * never injected: the agent finds it only by searching, quoted and flagged. A candidate (an
 * extracted fact not confirmed yet) is injected on a prompt only above {@link
 * Limits#candidateInjectionThreshold}, higher than a confirmed memory's {@link
 * Limits#injectionThreshold}, and always marked {@value Trust#UNCONFIRMED_MARK}. At SessionStart
 * there is no query to be relevant to: the project's candidates are listed with their mark.
 */
final class InjectionPolicy {
  private InjectionPolicy() {}

  /** What the block's header says about the mark. */
  static final String UNCONFIRMED_NOTE =
      "Lines marked "
          + Trust.UNCONFIRMED_MARK
          + " were picked up from a conversation and nobody has confirmed them yet: treat them"
          + " as likely, not settled, and confirm one with memory_update (confirm: true) once the"
          + " user agrees it holds.";

  /**
   * Whether a search result may be injected on a prompt. {@code reranked}: a language model chose
   * it ({@code OMEM_RERANK}), and its choice stands for the threshold; a flagged memory is never
   * injected, whatever chose it.
   */
  static boolean mayInjectOnPrompt(ScoredMemory s, boolean reranked) {
    Memory m = s.memory();
    if (m.flagged()) {
      return false;
    }
    if (reranked) {
      return true;
    }
    double min =
        m.unconfirmed() ? Limits.candidateInjectionThreshold() : Limits.injectionThreshold();
    return s.score() >= min;
  }

  /** Whether a project memory may be listed at SessionStart. */
  static boolean mayInjectAtStart(Memory m) {
    return !m.flagged();
  }

  /** Whether a profile fact (text) carries the candidate mark {@code ProfileBuilder} puts on it. */
  static boolean markedUnconfirmed(String fact) {
    return fact.startsWith(Trust.UNCONFIRMED_MARK + " ");
  }

  /** A profile fact without its candidate mark. */
  static String withoutMark(String fact) {
    return markedUnconfirmed(fact) ? fact.substring(Trust.UNCONFIRMED_MARK.length() + 1) : fact;
  }
}
