package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every command answers {@code --help} with its usage and exit 0 (issue 17: {@code omem serve
 * --help} was "Unknown option"); the parse error of any command points at that help.
 */
class CommandHelpTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void serveHelpPrintsItsUsageAndExitsZero() {
    for (String flag : new String[] {"--help", "-h"}) {
      Run r = run("serve", flag);
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("Usage: omem serve"), r.out());
      assertTrue(r.out().contains("--port"), r.out());
      assertEquals("", r.err());
    }
  }

  @Test
  void everyCommandAnswersHelp() {
    for (String command :
        new String[] {"search", "store", "get", "update", "forget", "list", "stats", "doctor"}) {
      Run r = run(command, "--help");
      assertEquals(0, r.code(), command + ": " + r.err());
      assertTrue(r.out().contains("Usage: omem " + command), command + ": " + r.out());
    }
  }

  @Test
  void anUnknownOptionStillFailsAndPointsAtTheHelp() {
    Run r = run("serve", "--bogus");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("omem serve --help"), r.err());
  }
}
