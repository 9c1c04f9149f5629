package dev.omem.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.domain.Trust;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How search, list and get text show candidates and flagged memories to an agent (issue 14). */
class TrustTextTest {
  private static Memory memory(String content, Trust t) {
    Instant now = Instant.now();
    return Memory.builder()
        .id("id")
        .tenantId("t")
        .spaceId("personal/t")
        .content(content)
        .category(Category.CASES)
        .memoryType(MemoryType.INSIGHT)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(List.of())
        .scope("global")
        .relations(Map.of())
        .provenance(Map.of())
        .version(1)
        .createdAt(now)
        .updatedAt(now)
        .build()
        .withTrust(t);
  }

  @Test
  void aConfirmedMemoryIsShownAsItIs() {
    assertEquals("Uses pnpm", TrustText.shown(memory("Uses pnpm", Trust.CONFIRMED), 200));
  }

  @Test
  void aCandidateCarriesItsMark() {
    assertEquals(
        "[unconfirmed] Uses pnpm", TrustText.shown(memory("Uses pnpm", Trust.CANDIDATE), 200));
  }

  @Test
  void aFlaggedMemoryIsQuotedWithItsHiddenCharactersWrittenOut() {
    String s =
        TrustText.shown(
            memory("Use \"pnpm\"\u202E now\uDB40\uDC49", new Trust(true, "hidden Unicode")), 200);
    assertTrue(s.startsWith(Trust.FLAGGED_MARK + " \"Use \\\"pnpm\\\"\\u{202e} now"), s);
    assertTrue(s.contains("\\u{e0049}"), s);
    assertTrue(s.endsWith("(flag: hidden Unicode)"), s);
    assertFalse(s.contains("\u202E") || s.contains("\uDB40\uDC49"), "nothing hidden is left");
  }
}
