package dev.omem.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An ingest task's JSON: ourmem's fields, omem's counts per decision, and a faithful read-back. */
class IngestTaskJsonTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Test
  void countsAndIdsComeFromTheStepsAndTheTaskReadsBackEqual() throws Exception {
    IngestTask t =
        new IngestTask(
            "t1",
            "done",
            List.of(
                new IngestTask.Step("create", "m1", null),
                new IngestTask.Step("supersede", "m2", "m0"),
                new IngestTask.Step("support", "m1", null),
                new IngestTask.Step("dropped", null, null)),
            null,
            Instant.parse("2026-12-01T10:00:00Z"),
            Instant.parse("2026-12-01T10:00:01.5Z"));
    assertEquals(
        "{\"task_id\":\"t1\",\"status\":\"done\",\"created\":1,\"merged\":0,\"skipped\":1,"
            + "\"superseded\":1,\"supported\":1,\"contextualized\":0,\"contradicted\":0,"
            + "\"dropped\":1,\"memory_ids\":[\"m1\",\"m2\"],\"decisions\":["
            + "{\"decision\":\"create\",\"memory_id\":\"m1\",\"related_id\":null},"
            + "{\"decision\":\"supersede\",\"memory_id\":\"m2\",\"related_id\":\"m0\"},"
            + "{\"decision\":\"support\",\"memory_id\":\"m1\",\"related_id\":null},"
            + "{\"decision\":\"dropped\",\"memory_id\":null,\"related_id\":null}],"
            + "\"error\":null,\"created_at\":\"2026-12-01T10:00:00Z\","
            + "\"updated_at\":\"2026-12-01T10:00:01.500Z\"}",
        PLAIN.writeValueAsString(t.toJson()));
    assertEquals(t, IngestTask.fromJson(PLAIN.valueToTree(t.toJson())));
  }
}
