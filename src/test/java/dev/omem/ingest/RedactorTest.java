package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
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

  @Test
  void hostileInputRunsInLinearTime() {
    List<String> hostile =
        List.of(
            "a".repeat(200_000),
            "sk-".repeat(70_000),
            "a_".repeat(100_000) + "password",
            "password=".repeat(25_000),
            "<private>".repeat(25_000),
            "</private>".repeat(25_000),
            "-----BEGIN RSA PRIVATE KEY-----".repeat(8_000),
            "eyJaaaaaaaaaaa.".repeat(15_000),
            "http://u:".repeat(25_000),
            "Bearer ".repeat(30_000),
            "AKIA".repeat(50_000),
            "password is ".repeat(10_000),
            "password for a b c is ".repeat(5_000),
            "my password is " + "a".repeat(100_000) + ".",
            "passphrase is " + "word ".repeat(20_000),
            "pw: ".repeat(25_000),
            "x".repeat(100_000) + ":" + "y".repeat(100_000) + "@");
    for (String s : hostile) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(2), () -> Redactor.redact(s), s.substring(0, 20));
    }
  }

  @Test
  void nullAndEmptyPassThrough() {
    assertNull(Redactor.redact(null).text());
    assertEquals("", Redactor.clean(""));
  }
}
