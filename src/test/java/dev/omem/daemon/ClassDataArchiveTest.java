package dev.omem.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassDataArchiveTest {
  @Test
  void extraDaemonOptionsAreSplitOnAnyWhitespace() {
    assertEquals(
        List.of("-XX:StartFlightRecording=filename=d.jfr,settings=profile", "-Xmx192m"),
        ClassDataArchive.extraOptions(
            "  -XX:StartFlightRecording=filename=d.jfr,settings=profile \t -Xmx192m\n"));
  }

  @Test
  void noExtraDaemonOptionsWhenUnsetOrBlank() {
    assertEquals(List.of(), ClassDataArchive.extraOptions(null));
    assertEquals(List.of(), ClassDataArchive.extraOptions("   "));
  }
}
