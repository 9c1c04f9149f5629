package dev.omem.hooks;

import dev.omem.service.Caller;
import dev.omem.service.HookSessions;
import dev.omem.service.MemoryService;
import java.util.Map;
import java.util.Set;

/**
 * What each session was shown: read so that a prompt repeats nothing, written when a block is
 * injected, and each memory shown counted as accessed.
 */
final class ShownMemories {
  private final MemoryService service;
  private final HookSessions sessions;

  ShownMemories(MemoryService service, HookSessions sessions) {
    this.service = service;
    this.sessions = sessions;
  }

  /** The keys of what the session was shown ({@link MemoryBlock}); none without a session. */
  Set<String> of(Caller caller, String sessionId) {
    return sessionId == null ? Set.of() : sessions.injected(caller, sessionId);
  }

  /**
   * The hook's answer with {@code block}: {@link HookAnswer#NOTHING} when it shows nothing, else
   * the block, its memories remembered for the session and counted as accessed.
   */
  Map<String, Object> inject(
      HookEvent event, Caller caller, String sessionId, MemoryBlockBuilder block) {
    if (block.shown() == 0) {
      return HookAnswer.NOTHING;
    }
    if (sessionId != null) {
      sessions.markInjected(caller, sessionId, block.keys());
    }
    service.recordAccess(caller, block.ids());
    return HookAnswer.context(event, block.close());
  }
}
