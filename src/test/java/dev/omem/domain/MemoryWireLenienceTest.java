package dev.omem.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Jackson-bound answers read what a server leaves out or words otherwise as the hand-written
 * reader did: defaults from the rest of the answer, numbers sent as text, relations in omem's
 * column form, and an error that names the field when a value cannot be read.
 */
class MemoryWireLenienceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aPageWithoutCountsTakesItsSize() throws Exception {
    MemoryPage p =
        MemoryJsonReader.page(
            JSON.readTree("{\"memories\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"offset\":4}"));
    assertEquals(List.of("a", "b"), p.memories().stream().map(Memory::id).toList());
    assertEquals(2, p.totalCount());
    assertEquals(2, p.limit());
    assertEquals(4, p.offset());
    assertEquals(
        Tier.PERIPHERAL, p.memories().get(0).tier(), "each memory takes ourmem's defaults");
  }

  @Test
  void aTraceWithoutFinalCountOrRangeTakesTheLastStage() throws Exception {
    SearchTrace t =
        MemoryJsonReader.trace(
            JSON.readTree(
                "{\"stages\":[{\"name\":\"bm25\",\"output_count\":9},"
                    + "{\"name\":\"limit\",\"input_count\":9,\"output_count\":3,"
                    + "\"score_range\":[0.7]}],\"total_duration_ms\":2}"));
    assertEquals(3, t.finalCount());
    assertNull(t.mode());
    assertArrayEquals(new double[] {0, 0}, t.stages().get(0).scoreRange());
    assertArrayEquals(new double[] {0.7, 0.7}, t.stages().get(1).scoreRange());
  }

  @Test
  void numbersAsTextAndRelationsInColumnFormRead() throws Exception {
    Memory m =
        MemoryJson.read(
            JSON.readTree(
                "{\"id\":\"x\",\"importance\":\"0.9\",\"version\":\"3\",\"tags\":[\"a\",null],"
                    + "\"relations\":{\"supports\":[\"y\",\"z\"]},\"confirmed\":null}"));
    assertEquals(0.9, m.importance());
    assertEquals(3, m.version());
    assertEquals(List.of("a"), m.tags());
    assertEquals(Map.of("supports", List.of("y", "z")), m.relations());
    assertTrue(m.trust().confirmed());
  }

  @Test
  void aValueThatCannotBeReadIsAnErrorNamingItsField() {
    OmemException n =
        assertThrows(
            OmemException.class,
            () -> MemoryJson.read(JSON.readTree("{\"id\":\"x\",\"importance\":\"high\"}")));
    assertEquals(ErrorCode.INTERNAL, n.code());
    assertTrue(n.getMessage().contains("'importance' must be a number"), n.getMessage());
    OmemException t =
        assertThrows(
            OmemException.class,
            () ->
                MemoryJsonReader.page(
                    JSON.readTree("{\"memories\":[{\"id\":\"x\",\"updated_at\":\"soon\"}]}")));
    assertTrue(t.getMessage().contains("'updated_at'"), t.getMessage());
    assertTrue(t.getMessage().contains("RFC 3339"), t.getMessage());
    OmemException h =
        assertThrows(
            OmemException.class,
            () ->
                MemoryJsonReader.history(
                    JSON.readTree("[{\"action\":\"created\",\"at\":\"nope\"}]")));
    assertTrue(h.getMessage().contains("'at'"), h.getMessage());
    OmemException a =
        assertThrows(
            OmemException.class,
            () -> MemoryJsonReader.history(JSON.readTree("[{\"action\":\"teleported\"}]")));
    assertTrue(a.getMessage().contains("'action'"), a.getMessage());
  }
}
