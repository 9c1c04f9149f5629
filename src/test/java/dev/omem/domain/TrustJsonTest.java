package dev.omem.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trust extension on the wire (issue 14): written, read back, and absent from ourmem. */
class TrustJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Memory memory(Trust t) {
    Instant now = Instant.parse("2026-12-05T09:00:00Z");
    return Memory.builder()
        .id("0b8f2a8e-6d7c-4f5e-9a1b-2c3d4e5f6a7b")
        .tenantId("t1")
        .spaceId("personal/t1")
        .content("Uses pnpm")
        .category(Category.PREFERENCES)
        .memoryType(MemoryType.INSIGHT)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(List.of())
        .scope("global")
        .agentId("a")
        .sessionId("s1")
        .source("ingest")
        .relations(Map.of())
        .provenance(Map.of())
        .version(1)
        .createdAt(now)
        .updatedAt(now)
        .build()
        .withTrust(t);
  }

  @Test
  void aCandidateAndAFlagSurviveTheRoundTrip() throws Exception {
    Memory m = memory(new Trust(false, "hidden Unicode: tag characters"));
    Map<String, Object> j = MemoryJson.of(m);
    assertEquals(false, j.get("confirmed"));
    assertEquals("hidden Unicode: tag characters", j.get("flag"));
    Memory back = MemoryJson.read(JSON.readTree(JSON.writeValueAsString(j)));
    assertEquals(m, back);
    assertTrue(back.unconfirmed());
    assertTrue(back.flagged());
  }

  @Test
  void anOurmemMemoryWithoutTheFieldsIsConfirmedAndClean() throws Exception {
    Map<String, Object> j = MemoryJson.of(memory(new Trust(false, "x")));
    j.remove("confirmed");
    j.remove("flag");
    Memory back = MemoryJson.read(JSON.readTree(JSON.writeValueAsString(j)));
    assertFalse(back.unconfirmed());
    assertNull(back.trust().flag());
  }

  @Test
  void marksSayWhatAModelShouldKnow() {
    assertEquals("", Trust.CONFIRMED.marks());
    assertEquals(Trust.UNCONFIRMED_MARK, Trust.CANDIDATE.marks());
    assertEquals(
        Trust.UNCONFIRMED_MARK + " " + Trust.FLAGGED_MARK, new Trust(false, "why").marks());
    assertEquals(new Trust(true, "why"), new Trust(false, "why").confirm(), "the flag stays");
  }
}
