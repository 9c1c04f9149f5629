package dev.omem.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The table of {@link BadRequestHttpTest}: requests that must be refused, with the status and
 * envelope code each gets. {@code {live}} and {@code {forgotten}} in a path or body stand for the
 * ids of one of the tenant's active memories and one of its deleted ones.
 */
final class BadRequestCases {
  private BadRequestCases() {}

  /** Which key a case sends. */
  enum Key {
    NONE,
    A,
    WRONG,
    BLANK,
    TENANT_ID
  }

  record Case(
      String name,
      String method,
      String path,
      Key key,
      String body,
      List<String> headers,
      int status,
      String code) {
    @Override
    public String toString() {
      return name;
    }

    Case key(Key k) {
      return new Case(name, method, path, k, body, headers, status, code);
    }

    Case header(String name, String value) {
      List<String> h = new ArrayList<>(headers);
      h.add(name);
      h.add(value);
      return new Case(this.name, method, path, key, body, h, status, code);
    }
  }

  static Case invalid(String name, String method, String path, String body) {
    return new Case(name, method, path, Key.A, body, List.of(), 400, "validation_error");
  }

  static Case create(String name, String body) {
    return invalid(name, "POST", "/v1/memories", body);
  }

  static Case update(String name, String body) {
    return invalid(name, "PUT", "/v1/memories/{live}", body);
  }

  static Case batch(String name, String body) {
    return invalid(name, "POST", "/v1/memories/batch-delete", body);
  }

  static Case query(String path) {
    return invalid("GET " + path, "GET", path, null);
  }

  static Case status(String name, String method, String path, int status, String code) {
    return new Case(name, method, path, Key.A, null, List.of(), status, code);
  }

  private static final String DEPLOY = "\"We deploy with ArgoCD on every merge to main\"";

  /** An ingest of one good message with this {@code facts} value (JSON). */
  static Case ingestFacts(String name, String facts) {
    return create(
        name,
        "{\"messages\": ["
            + user("We deploy with ArgoCD on every merge to main")
            + "], \"facts\": "
            + facts
            + "}");
  }

  /** One fact of the extension: text and category as JSON, then further members. */
  static String fact(Object text, String category, String... more) {
    StringBuilder b = new StringBuilder("{\"text\": " + text + ", \"category\": " + category);
    for (String m : more) {
      b.append(", ").append(m);
    }
    return b.append("}").toString();
  }

  static String user(String content) {
    return "{\"role\": \"user\", \"content\": " + HttpFixture.json(content) + "}";
  }

  static Stream<Case> all() {
    String fact = user("We deploy with ArgoCD on every merge to main");
    String tooBig = "x".repeat(32 * 1024 + 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    List<Case> c = new ArrayList<>();
    // Malformed JSON.
    c.add(create("unclosed object", "{\"content\": \"x\""));
    c.add(create("unquoted names", "{content: x}"));
    c.add(create("trailing garbage", "{\"content\": \"x\"} trailing"));
    c.add(create("two objects", "{\"content\": \"one\"} {\"content\": \"two\"}"));
    c.add(create("NaN", "{\"content\": \"x\", \"importance\": NaN}"));
    c.add(update("malformed update", "{\"content\":"));
    c.add(batch("malformed batch", "{\"memory_ids\": ["));
    c.add(invalid("malformed sign-up", "POST", "/v1/tenants", "{\"name\":").key(Key.NONE));
    // A body that is not an object.
    c.add(create("no body", null));
    c.add(create("blank body", "   "));
    c.add(create("array body", "[{\"content\": \"x\"}]"));
    c.add(create("string body", "\"remember this\""));
    c.add(create("number body", "42"));
    c.add(create("null body", "null"));
    c.add(update("array update", "[]"));
    c.add(update("no update body", null));
    c.add(batch("array batch", "[]"));
    c.add(invalid("array sign-up", "POST", "/v1/tenants", "[\"me\"]").key(Key.NONE));
    // Wrong types.
    c.add(create("content: 5", "{\"content\": 5}"));
    c.add(create("content: list", "{\"content\": [\"x\"]}"));
    c.add(create("content: object", "{\"content\": {\"text\": \"x\"}}"));
    c.add(create("tags: \"x\"", "{\"content\": \"x\", \"tags\": \"x\"}"));
    c.add(create("tags: numbers", "{\"content\": \"x\", \"tags\": [1, 2]}"));
    c.add(create("importance: \"high\"", "{\"content\": \"x\", \"importance\": \"high\"}"));
    c.add(create("source: 7", "{\"content\": \"x\", \"source\": 7}"));
    c.add(create("category: 3", "{\"content\": \"x\", \"category\": 3}"));
    c.add(create("scope: true", "{\"content\": \"x\", \"scope\": true}"));
    c.add(create("messages: string", "{\"messages\": \"hello there my friend\"}"));
    c.add(create("messages: object", "{\"messages\": " + fact + "}"));
    c.add(create("messages: strings", "{\"messages\": [\"we deploy with ArgoCD always\"]}"));
    c.add(create("message content: 5", "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}"));
    c.add(create("mode: 1", "{\"messages\": [" + fact + "], \"mode\": 1}"));
    c.add(create("session_id: list", "{\"messages\": [" + fact + "], \"session_id\": [1]}"));
    c.add(update("update content: 5", "{\"content\": 5}"));
    c.add(update("update tags: \"x\"", "{\"tags\": \"x\"}"));
    c.add(update("update importance: \"high\"", "{\"importance\": \"high\"}"));
    c.add(update("update state: 1", "{\"state\": 1}"));
    c.add(batch("memory_ids: string", "{\"memory_ids\": \"{live}\"}"));
    c.add(batch("memory_ids: numbers", "{\"memory_ids\": [1]}"));
    c.add(batch("filter: string", "{\"filter\": \"ci\"}"));
    c.add(batch("filter tags: string", "{\"filter\": {\"tags\": \"ci\"}, \"confirm\": true}"));
    c.add(batch("confirm: \"yes\"", "{\"filter\": {\"tags\": [\"ci\"]}, \"confirm\": \"yes\"}"));
    c.add(invalid("name: 5", "POST", "/v1/tenants", "{\"name\": 5}").key(Key.NONE));
    // Missing or empty required fields.
    c.add(create("empty object", "{}"));
    c.add(create("only tags", "{\"tags\": [\"a\"]}"));
    c.add(create("empty content", "{\"content\": \"\"}"));
    c.add(create("blank content", "{\"content\": \"   \"}"));
    c.add(create("null content", "{\"content\": null}"));
    c.add(create("empty messages", "{\"messages\": []}"));
    c.add(create("message without content", "{\"messages\": [{\"role\": \"user\"}]}"));
    c.add(create("message without role", "{\"messages\": [{\"content\": \"we use ArgoCD\"}]}"));
    c.add(query("/v1/memories/search"));
    c.add(query("/v1/memories/search?q="));
    c.add(query("/v1/memories/search?q=%20%20"));
    c.add(update("nothing to update", "{}"));
    c.add(batch("empty batch body", "{}"));
    c.add(batch("empty memory_ids", "{\"memory_ids\": []}"));
    c.add(batch("empty filter", "{\"filter\": {}}"));
    c.add(batch("empty filter, confirmed", "{\"filter\": {}, \"confirm\": true}"));
    c.add(invalid("delete all unconfirmed", "DELETE", "/v1/memories/all", null));
    c.add(
        invalid("delete all, wrong confirm", "DELETE", "/v1/memories/all", null)
            .header("X-Confirm", "yes"));
    // Values out of range or unknown.
    c.add(create("content over 32 KiB", HttpFixture.json(Map.of("content", tooBig))));
    c.add(
        create(
            "content over 32 KiB in UTF-8 bytes",
            HttpFixture.json(Map.of("content", "日".repeat(11_000)))));
    c.add(update("update content over 32 KiB", HttpFixture.json(Map.of("content", tooBig))));
    c.add(
        create(
            "message over 32 KiB",
            HttpFixture.json(
                Map.of(
                    "messages",
                    List.of(
                        Map.of(
                            "role",
                            "user",
                            "content",
                            "we keep this very long note: " + tooBig))))));
    c.add(create("importance 1.5", "{\"content\": \"x\", \"importance\": 1.5}"));
    c.add(create("importance -0.1", "{\"content\": \"x\", \"importance\": -0.1}"));
    c.add(create("unknown category", "{\"content\": \"x\", \"category\": \"gossip\"}"));
    c.add(create("unknown scope", "{\"content\": \"x\", \"scope\": \"nowhere\"}"));
    c.add(create("scope project without one", "{\"content\": \"x\", \"scope\": \"project\"}"));
    c.add(create("21 tags", HttpFixture.json(Map.of("content", "x", "tags", range(21)))));
    c.add(
        create(
            "tag of 65",
            HttpFixture.json(Map.of("content", "x", "tags", List.of("t".repeat(65))))));
    c.add(create("blank tag", "{\"content\": \"x\", \"tags\": [\" \"]}"));
    c.add(
        create(
            "source over 200",
            HttpFixture.json(Map.of("content", "x", "source", "s".repeat(201)))));
    c.add(create("mode fancy", "{\"messages\": [" + fact + "], \"mode\": \"fancy\"}"));
    c.add(
        create(
            "501 messages",
            HttpFixture.json(
                Map.of(
                    "messages",
                    Collections.nCopies(501, Map.of("role", "user", "content", "we ship"))))));
    // The facts extension (facts the caller extracted): any bad fact refuses the whole ingest.
    c.add(ingestFacts("facts: string", "\"we deploy with ArgoCD\""));
    c.add(ingestFacts("facts: object", "{\"text\": \"We deploy with ArgoCD\"}"));
    c.add(ingestFacts("facts: strings", "[\"We deploy with ArgoCD\"]"));
    c.add(ingestFacts("fact text: 5", "[" + fact(5, "\"patterns\"") + "]"));
    c.add(ingestFacts("fact without text", "[{\"category\": \"patterns\"}]"));
    c.add(ingestFacts("fact blank text", "[" + fact("\"  \"", "\"patterns\"") + "]"));
    c.add(ingestFacts("fact without category", "[{\"text\": \"We deploy with ArgoCD\"}]"));
    c.add(ingestFacts("fact category: 3", "[" + fact(DEPLOY, "3") + "]"));
    c.add(ingestFacts("fact unknown category", "[" + fact(DEPLOY, "\"gossip\"") + "]"));
    c.add(
        ingestFacts(
            "fact tags: \"x\"", "[" + fact(DEPLOY, "\"patterns\"", "\"tags\": \"x\"") + "]"));
    c.add(
        ingestFacts(
            "fact tag of 65",
            "[" + fact(DEPLOY, "\"patterns\"", "\"tags\": [\"" + "t".repeat(65) + "\"]") + "]"));
    c.add(
        ingestFacts(
            "fact importance 1.5",
            "[" + fact(DEPLOY, "\"patterns\"", "\"importance\": 1.5") + "]"));
    c.add(
        ingestFacts(
            "fact confidence \"high\"",
            "[" + fact(DEPLOY, "\"patterns\"", "\"confidence\": \"high\"") + "]"));
    c.add(
        ingestFacts(
            "fact text over 32 KiB", "[" + fact(HttpFixture.json(tooBig), "\"patterns\"") + "]"));
    c.add(
        ingestFacts(
            "a good fact, then a bad one",
            "[" + fact(DEPLOY, "\"patterns\"") + ", " + fact(DEPLOY, "\"gossip\"") + "]"));
    c.add(
        ingestFacts(
            "501 facts",
            "[" + String.join(", ", Collections.nCopies(501, fact(DEPLOY, "\"patterns\""))) + "]"));
    c.add(
        create(
            "facts with mode raw",
            "{\"messages\": ["
                + fact
                + "], \"mode\": \"raw\", \"facts\": ["
                + fact(DEPLOY, "\"patterns\"")
                + "]}"));
    c.add(update("unknown state", "{\"state\": \"gone\"}"));
    c.add(update("update importance 2", "{\"importance\": 2}"));
    c.add(update("update empty content", "{\"content\": \"\"}"));
    c.add(
        invalid(
            "update a forgotten memory",
            "PUT",
            "/v1/memories/{forgotten}",
            "{\"content\": \"back\"}"));
    c.add(batch("1001 ids", HttpFixture.json(Map.of("memory_ids", ids))));
    c.add(batch("id not a UUID", "{\"memory_ids\": [\"{live}\", \"nope\"]}"));
    c.add(
        batch(
            "filter before not a time",
            "{\"filter\": {\"before\": \"yesterday\"}, \"confirm\": true}"));
    c.add(
        batch("filter unknown type", "{\"filter\": {\"memory_type\": \"x\"}, \"confirm\": true}"));
    c.add(
        batch("filter unknown category", "{\"filter\": {\"category\": \"x\"}, \"confirm\": true}"));
    c.add(batch("filter unknown state", "{\"filter\": {\"state\": \"x\"}, \"confirm\": true}"));
    // An id that is not a UUID names no memory: 404, as ourmem answers (issue 17).
    c.add(
        new Case(
            "GET id not a UUID",
            "GET",
            "/v1/memories/not-a-uuid",
            Key.A,
            null,
            List.of(),
            404,
            "not_found"));
    c.add(
        new Case(
            "PUT id not a UUID",
            "PUT",
            "/v1/memories/not-a-uuid",
            Key.A,
            "{\"content\": \"x\"}",
            List.of(),
            404,
            "not_found"));
    c.add(status("DELETE id not a UUID", "DELETE", "/v1/memories/not-a-uuid", 404, "not_found"));
    // Bad query parameters.
    for (String p :
        new String[] {
          "limit=abc",
          "limit=0",
          "limit=1000",
          "limit=201",
          "limit=-1",
          "limit=1.5",
          "offset=-1",
          "offset=x",
          "sort=bogus",
          "order=sideways",
          "state=gone",
          "category=gossip",
          "memory_type=x",
          "scope=nowhere"
        }) {
      c.add(query("/v1/memories?" + p));
    }
    for (String p :
        new String[] {
          "limit=abc",
          "limit=0",
          "limit=1000",
          "limit=101",
          "after=not-a-time",
          "before=2026-13-01T00:00:00Z",
          "after=2026-02-01T00:00:00Z&before=2026-01-01T00:00:00Z",
          "min_score=2",
          "min_score=x",
          "include_trace=maybe",
          "category=gossip",
          "state=gone",
          "scope=nowhere"
        }) {
      c.add(query("/v1/memories/search?q=build&" + p));
    }
    c.add(query("/v1/memories/search?q=" + "x".repeat(4001)));
    // Long enough to pass Jetty's default 8 KiB request line: still the query-length message.
    c.add(query("/v1/memories/search?q=" + "x".repeat(9000)));
    c.add(query("/v1/memories/search?q=" + "%C3%A9".repeat(5000)));
    // Text that is empty once control and zero-width characters go, or not valid UTF-16.
    c.add(create("content: three NULs", "{\"content\": \"\\u0000\\u0000\\u0000\"}"));
    c.add(create("content: zero-width spaces", "{\"content\": \"\\u200b\\u200b\\u200b\"}"));
    c.add(create("content: BOM and joiners", "{\"content\": \"\\ufeff\\u2060\\u200d \"}"));
    c.add(create("content: lone high surrogate", "{\"content\": \"ok \\ud83d then\"}"));
    c.add(create("content: lone low surrogate", "{\"content\": \"\\udc00\"}"));
    c.add(create("tag: lone surrogate", "{\"content\": \"x\", \"tags\": [\"\\ud800\"]}"));
    c.add(create("tag: zero-width", "{\"content\": \"x\", \"tags\": [\"\\u200b\"]}"));
    c.add(create("source: lone surrogate", "{\"content\": \"x\", \"source\": \"a\\udfff\"}"));
    c.add(update("update content: NULs", "{\"content\": \"\\u0000\\u0000\"}"));
    c.add(update("update content: lone surrogate", "{\"content\": \"\\ud800\"}"));
    c.add(
        create(
            "message: lone surrogate",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"we use \\ud800 ArgoCD\"}]}"));
    c.add(query("/v1/memories/search?q=%E2%80%8B%E2%80%8B%E2%80%8B"));
    // Keys.
    for (Key k : new Key[] {Key.NONE, Key.WRONG, Key.BLANK, Key.TENANT_ID}) {
      String[][] routes = {
        {"GET", "/v1/memories"},
        {"GET", "/v1/memories/search?q=build"},
        {"GET", "/v1/memories/{live}"},
        {"PUT", "/v1/memories/{live}"},
        {"DELETE", "/v1/memories/{live}"},
        {"POST", "/v1/memories"},
        {"POST", "/v1/memories/batch-delete"},
        {"DELETE", "/v1/memories/all"},
        {"GET", "/v1/profile"},
        {"GET", "/v1/stats"},
        {"GET", "/v1/nope"}
      };
      for (String[] r : routes) {
        String body =
            r[0].equals("PUT") || r[0].equals("POST")
                ? "{\"content\": \"sneaky\", \"memory_ids\": [\"{live}\"]}"
                : null;
        c.add(
            new Case(
                    k + " key: " + r[0] + " " + r[1],
                    r[0],
                    r[1],
                    k,
                    body,
                    List.of(),
                    401,
                    "unauthorized")
                .header("X-Confirm", "delete-all"));
      }
    }
    // Routes.
    c.add(status("unknown route", "GET", "/v1/nope", 404, "not_found"));
    c.add(status("unknown version", "GET", "/v2/memories", 404, "not_found"));
    c.add(status("root", "GET", "/", 404, "not_found"));
    c.add(status("too deep", "GET", "/v1/memories/{live}/extra", 404, "not_found"));
    c.add(status("unknown id", "GET", "/v1/memories/" + UUID.randomUUID(), 404, "not_found"));
    c.add(
        new Case(
            "PUT unknown id",
            "PUT",
            "/v1/memories/" + UUID.randomUUID(),
            Key.A,
            "{\"content\": \"x\"}",
            List.of(),
            404,
            "not_found"));
    c.add(
        status(
            "DELETE unknown id", "DELETE", "/v1/memories/" + UUID.randomUUID(), 404, "not_found"));
    c.add(status("PATCH a memory", "PATCH", "/v1/memories/{live}", 405, "method_not_allowed"));
    c.add(status("DELETE the collection", "DELETE", "/v1/memories", 405, "method_not_allowed"));
    c.add(status("GET tenants", "GET", "/v1/tenants", 405, "method_not_allowed"));
    c.add(status("POST health", "POST", "/health", 405, "method_not_allowed"));
    c.add(status("POST stats", "POST", "/v1/stats", 405, "method_not_allowed"));
    // A literal path wins over the {id} placeholder: 405, not "not a memory id".
    for (String[] r :
        new String[][] {
          {"GET", "/v1/memories/batch-delete"},
          {"DELETE", "/v1/memories/batch-delete"},
          {"GET", "/v1/memories/all"},
          {"PUT", "/v1/memories/all"},
          {"DELETE", "/v1/memories/search"},
          {"PUT", "/v1/memories/search"}
        }) {
      c.add(status(r[0] + " " + r[1], r[0], r[1], 405, "method_not_allowed"));
    }
    return c.stream();
  }

  private static List<String> range(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("tag" + i);
    }
    return out;
  }
}
