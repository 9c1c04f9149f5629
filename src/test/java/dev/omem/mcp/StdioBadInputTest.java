package dev.omem.mcp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.config.RerankSetting;
import dev.omem.service.Caller;
import dev.omem.service.ListRequest;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdio bad-input corpus, against omem's stdio server over real OS pipes on a real store: each
 * bad line gets an answer (a JSON-RPC error with the request's id when it can be found, or a tool
 * error a person can read), nothing stored changes, and the server answers the next request.
 */
class StdioBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private LocalMemoryService svc;
  private OutputStream toServer;
  private BufferedReader fromServer;
  private Thread server;
  private final AtomicInteger ids = new AtomicInteger(100);

  @BeforeEach
  void start() throws Exception {
    svc = LocalMemoryService.open(new OmemConfig(home, "bge-small-en-v1.5"));
    svc.store(Caller.local(null), StoreRequest.of("The release train leaves on Thursdays"));
    Pipe in = Pipe.open();
    Pipe out = Pipe.open();
    toServer = Channels.newOutputStream(in.sink());
    fromServer =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8));
    server =
        new Thread(
            () -> {
              try {
                McpStdioServer.serve(
                    () -> svc,
                    "test",
                    home,
                    Channels.newInputStream(in.source()),
                    Channels.newOutputStream(out.sink()),
                    () -> false,
                    () -> RerankSetting.Mode.OFF);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "stdio-server");
    server.setDaemon(true);
    server.start();
    JsonNode init =
        call(
            "initialize",
            "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"bad-input\",\"version\":\"1\"}}");
    assertTrue(init.has("result"), init.toString());
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  @AfterEach
  void stop() throws Exception {
    toServer.close();
    server.join(10_000);
    svc.close();
  }

  private void send(String line) throws IOException {
    toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    toServer.flush();
  }

  /** The next message from the server that is a response (not a notification or request). */
  private JsonNode answer() throws IOException {
    for (String line; (line = fromServer.readLine()) != null; ) {
      JsonNode n = JSON.readTree(line);
      if (n.has("result") || n.has("error")) {
        return n;
      }
    }
    throw new AssertionError("the server closed stdout");
  }

  private JsonNode call(String method, String params) throws IOException {
    int id = ids.incrementAndGet();
    send(
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + id
            + ",\"method\":\""
            + method
            + "\",\"params\":"
            + params
            + "}");
    JsonNode a = answer();
    assertEquals(id, a.path("id").asInt(), a.toString());
    return a;
  }

  private List<String> stored() {
    return svc
        .list(Caller.local(null), ListRequest.builder().limit(200).offset(0).build())
        .memories()
        .stream()
        .map(m -> m.id() + " " + m.version() + " " + m.content() + " " + m.tags())
        .toList();
  }

  /** After a bad input: nothing changed, and the server still answers. */
  private void stillServing(List<String> before) throws IOException {
    assertEquals(before, stored(), "nothing stored changed");
    JsonNode tools = call("tools/list", "{}");
    assertTrue(tools.path("result").path("tools").size() > 0, tools.toString());
  }

  private void assertRefused(String line, int code, Object id, String says) throws IOException {
    List<String> before = stored();
    send(line);
    JsonNode a = answer();
    String shown = line.length() > 120 ? line.substring(0, 120) + "…" : line;
    assertEquals(code, a.path("error").path("code").asInt(), shown + " → " + a);
    if (id == null) {
      assertTrue(a.get("id").isNull(), shown + " → " + a);
    } else {
      assertEquals(JSON.valueToTree(id), a.get("id"), shown + " → " + a);
    }
    assertTrue(a.path("error").path("message").asText().contains(says), shown + " → " + a);
    stillServing(before);
  }

  @Test
  void linesThatAreNotRequestsAreAnsweredWithTheirId() throws IOException {
    String deep = "[".repeat(2000) + "]".repeat(2000);
    assertRefused(
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/list\",\"params\":{\"x\":" + deep + "}}",
        -32700,
        11,
        "nesting depth");
    assertRefused(
        "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}",
        -32600,
        null,
        "id must be a string or an integer");
    assertRefused(
        "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"tools/list\"}", -32600, null, "id must be");
    assertRefused("hello {\"id\":15", -32700, 15, "not JSON");
    assertRefused(
        "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/list\"", -32700, "abc", "not JSON");
    assertRefused("[1,2]", -32600, null, "JSON object");
    assertRefused("{\"jsonrpc\":\"2.0\",\"id\":17}", -32600, 17, "method");
    assertRefused(
        "{\"jsonrpc\":\"1.0\",\"id\":18,\"method\":\"tools/list\"}", -32600, 18, "jsonrpc");
    assertRefused(
        "{\"jsonrpc\":\"2.0\",\"id\":19,\"method\":\"tools/list\",\"params\":\"x\"}",
        -32600,
        19,
        "params");
  }

  @Test
  void aByteOrderMarkIsIgnored() throws IOException {
    send("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/list\",\"params\":{}}");
    JsonNode a = answer();
    assertEquals(12, a.path("id").asInt());
    assertTrue(a.path("result").path("tools").size() > 0, a.toString());
  }

  @Test
  void aSixtyFourMegabyteLineIsRefusedWithoutHoldingIt() throws IOException {
    List<String> before = stored();
    String head =
        "{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"memory_store\",\"arguments\":{\"content\":\"";
    toServer.write(head.getBytes(StandardCharsets.UTF_8));
    byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 64; i++) {
      toServer.write(chunk);
    }
    toServer.write("\"}}}\n".getBytes(StandardCharsets.UTF_8));
    toServer.flush();
    JsonNode a = answer();
    assertEquals(14, a.path("id").asInt(), a.toString());
    assertEquals(-32600, a.path("error").path("code").asInt());
    assertTrue(
        a.path("error").path("message").asText().contains("the limit for one line is"),
        a.toString());
    stillServing(before);
  }

  private JsonNode tool(String name, String arguments) throws IOException {
    return call("tools/call", "{\"name\":\"" + name + "\",\"arguments\":" + arguments + "}");
  }

  private void assertToolRefuses(String name, String arguments, String says) throws IOException {
    List<String> before = stored();
    JsonNode a = tool(name, arguments);
    JsonNode result = a.path("result");
    assertTrue(result.path("isError").asBoolean(), arguments + " → " + a);
    String text = result.path("content").path(0).path("text").asText();
    assertTrue(text.contains(says), arguments + " → " + text);
    stillServing(before);
  }

  @Test
  void badArgumentsAreToolErrorsAPersonCanRead() throws IOException {
    assertToolRefuses(
        "memory_store", "{\"content\":\"\\u0000\\u0000\\u0000\"}", "control and zero-width");
    assertToolRefuses(
        "memory_store", "{\"content\":\"\\u200b\\u200b\\u200b\"}", "control and zero-width");
    assertToolRefuses(
        "memory_store", "{\"content\":\"\\u200b\\u0000 \\ufeff\\u2060\"}", "zero-width");
    assertToolRefuses(
        "memory_store", "{\"content\":\"half a pair \\ud83d here\"}", "lone surrogate");
    assertToolRefuses(
        "memory_store",
        "{\"content\":\"Valid text\",\"tags\":[\"ok\",\"\\udc00\"]}",
        "tags is not valid Unicode");
    assertToolRefuses(
        "memory_store",
        "{\"content\":\"Deploys need a ticket\",\"tags\":\"notarray\"}",
        "tags must be an array of strings, got a string");
    assertToolRefuses(
        "memory_store",
        "{\"content\":\"Deploys need a ticket\",\"importance\":\"0.9\"}",
        "importance must be a number, got a string");
    assertToolRefuses(
        "memory_search", "{\"query\":\"release\",\"limit\":\"5\"}", "limit must be a whole number");
    String longQuery = "q".repeat(9000);
    assertToolRefuses(
        "memory_search",
        "{\"query\":\"" + longQuery + "\"}",
        "query is 9000 characters; the limit is 4000");
  }
}
