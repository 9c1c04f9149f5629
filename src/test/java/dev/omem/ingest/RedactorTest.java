package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedactorTest {
  static Stream<PrivacyCorpus.Secret> secrets() {
    return PrivacyCorpus.secrets().stream();
  }

  static Stream<String> lookAlikes() {
    return PrivacyCorpus.lookAlikes().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secrets")
  void everySecretOfTheCorpusIsRedactedWithItsKind(PrivacyCorpus.Secret s) {
    Redactor.Redaction r = Redactor.redact(s.text());
    assertFalse(r.text().contains(s.secret()), r.text());
    for (String line : s.secret().split("\n")) {
      if (line.length() >= 12 && !line.startsWith("-----")) {
        assertFalse(r.text().contains(line), "a line of the secret survives: " + r.text());
      }
    }
    assertTrue(r.text().contains("[REDACTED:" + s.kind() + "]"), r.text());
    assertTrue(r.counts().containsKey(s.kind()), r.counts().toString());
    assertEquals(r.text(), Redactor.clean(r.text()), "redacting twice changes nothing");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lookAlikes")
  void lookAlikesSurviveUnchanged(String text) {
    Redactor.Redaction r = Redactor.redact(text);
    assertEquals(text, r.text());
    assertFalse(r.changed());
  }

  static Stream<Arguments> contextKept() {
    return Stream.of(
        Arguments.of(
            "postgres://app:Hunter2x@db.internal:5432/app",
            "postgres://app:[REDACTED:url_password]@db.internal:5432/app"),
        Arguments.of("export GITHUB_TOKEN=abc123def456", "export GITHUB_TOKEN=[REDACTED:secret]"),
        Arguments.of("{\"password\": \"x y z\"}", "{\"password\": \"[REDACTED:secret]\"}"),
        Arguments.of(
            "Authorization: Bearer abc.def-123_456789xyz",
            "Authorization: Bearer [REDACTED:bearer_token]"));
  }

  @ParameterizedTest
  @MethodSource("contextKept")
  void namesUsersAndHostsAroundASecretStay(String in, String out) {
    assertEquals(out, Redactor.clean(in));
  }

  @Test
  void privateSpansGoCaseInsensitiveAcrossLinesNestedAndUnclosed() {
    assertEquals("a [PRIVATE] b", Redactor.clean("a <private>my\nsalary is 10</private> b"));
    assertEquals("a [PRIVATE] b", Redactor.clean("a <PRIVATE>x</Private > b"));
    assertEquals(
        "a [PRIVATE] c", Redactor.clean("a <private>x <private>y</private> z</private> c"));
    assertEquals("keep [PRIVATE]", Redactor.clean("keep <private reason=\"hr\">the rest\nof it"));
    assertEquals("a  b", Redactor.clean("a </private> b"));
    assertEquals("[PRIVATE] and [PRIVATE]", Redactor.clean("<private>1</private> and <private>2"));
  }

  @Test
  void nothingLeftWhenOnlyPrivateTextOrSecrets() {
    assertTrue(Redactor.redact("  <private>all of it</private>\n").nothingLeft());
    assertTrue(Redactor.redact("<private>unclosed").nothingLeft());
    assertTrue(Redactor.redact("ghp_" + "a1B2".repeat(9)).nothingLeft());
    assertFalse(Redactor.redact("keep <private>x</private>").nothingLeft());
    assertFalse(Redactor.redact("plain text").nothingLeft());
  }

  /** Inputs built to make a backtracking regex explode: each holds {@code n} repeats of a unit. */
  private static List<String> hostile(int n) {
    return List.of(
        "a".repeat(20 * n),
        "sk-".repeat(7 * n),
        "a_".repeat(10 * n) + "password",
        "password=".repeat(3 * n),
        "<private>".repeat(3 * n),
        "</private>".repeat(3 * n),
        "-----BEGIN RSA PRIVATE KEY-----".repeat(n),
        "eyJaaaaaaaaaaa.".repeat(2 * n),
        "http://u:".repeat(3 * n),
        "Bearer ".repeat(3 * n),
        "AKIA".repeat(5 * n),
        "password is ".repeat(n),
        "password for a b c is ".repeat(n),
        "my password is " + "a".repeat(10 * n) + ".",
        "passphrase is " + "word ".repeat(2 * n),
        "pw: ".repeat(3 * n),
        "x".repeat(10 * n) + ":" + "y".repeat(10 * n) + "@");
  }

  /**
   * Catastrophic backtracking, checked by counting instead of timing: every pattern the redactor
   * runs is matched over each hostile input at two sizes, through a text that counts the characters
   * the regex engine reads. A linear pattern reads about twice as many at twice the size; a
   * backtracking one at least four times as many. The count is the same on any machine under any
   * load, where the former 2-second limit failed under load and could pass a quadratic pattern on a
   * fast one. The whole redaction of the largest inputs then runs under a generous limit that only
   * guards against a hang (the code around the patterns).
   */
  @Test
  void hostileInputRunsInLinearTime() throws ReflectiveOperationException {
    List<Pattern> patterns = redactorPatterns();
    assertTrue(patterns.size() > 10, "the redactor's patterns are found: " + patterns.size());
    List<String> small = hostile(1_000);
    List<String> large = hostile(2_000);
    for (Pattern p : patterns) {
      for (int i = 0; i < small.size(); i++) {
        long a = reads(p, small.get(i));
        long b = reads(p, large.get(i));
        assertTrue(
            b <= 3 * a + 1_000,
            p.pattern()
                + " on "
                + small.get(i).substring(0, 20)
                + ": "
                + a
                + " -> "
                + b
                + " reads");
      }
    }
    for (String s : hostile(10_000)) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(60), () -> Redactor.redact(s), "hang guard: " + s.substring(0, 20));
    }
  }

  /** The characters {@code p} reads to find every match in {@code text}. */
  private static long reads(Pattern p, String text) {
    long[] count = new long[1];
    CharSequence counted =
        new CharSequence() {
          @Override
          public int length() {
            return text.length();
          }

          @Override
          public char charAt(int index) {
            count[0]++;
            return text.charAt(index);
          }

          @Override
          public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
          }

          @Override
          public String toString() {
            return text;
          }
        };
    Matcher m = p.matcher(counted);
    while (m.find()) {
      // every match, as the redactor's replace loop finds them
    }
    return count[0];
  }

  /** Every pattern the redactor holds: its own fields and its rules' (read by reflection). */
  private static List<Pattern> redactorPatterns() throws ReflectiveOperationException {
    List<Pattern> out = new ArrayList<>();
    for (Field f : Redactor.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      Object v = f.get(null);
      if (v instanceof Pattern p) {
        out.add(p);
      } else if (v instanceof List<?> list) {
        for (Object rule : list) {
          for (Field rf : rule.getClass().getDeclaredFields()) {
            rf.setAccessible(true);
            if (rf.get(rule) instanceof Pattern p) {
              out.add(p);
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void nullAndEmptyPassThrough() {
    assertNull(Redactor.redact(null).text());
    assertEquals("", Redactor.clean(""));
  }
}
