package dev.omem.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.omem.domain.Memory;
import java.io.PrintWriter;

/** Prints results for people, or as JSON with {@code --json}. */
final class Output {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  static void json(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  static void memory(PrintWriter out, Memory m) {
    out.println(m.content());
    out.println(
        "  id "
            + m.id()
            + " · "
            + m.category().wire()
            + " · "
            + m.scope()
            + " · "
            + m.state().wire()
            + (m.tags().isEmpty() ? "" : " · tags " + String.join(", ", m.tags()))
            + " · "
            + m.createdAt()
            + (m.unconfirmed() ? " · unconfirmed" : "")
            + (m.flagged() ? " · flagged: " + m.trust().flag() : ""));
    out.flush();
  }
}
