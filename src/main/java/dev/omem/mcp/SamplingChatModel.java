package dev.omem.mcp;

import dev.omem.domain.ChatModel;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The connected client's own model, asked through MCP sampling ({@code sampling/createMessage}): it
 * lets {@code memory_ingest} extract facts with an LLM while omem holds no key (issue 6). The
 * client decides which model answers and may ask its user first; omem sends no context of its own
 * ({@code includeContext: none}), asks for a deterministic answer (temperature 0) and says that
 * speed and cost matter more than intelligence (extraction is a small task).
 *
 * <p>One instance serves one tool call, within {@link #BUDGET} for all its requests together; a
 * request that would end after it is abandoned, and later ones are not made, so the extractor falls
 * back to the local rules and the call still answers in time.
 *
 * <p>Failures throw {@link SamplingException}, whose message names what went wrong (a refusal and
 * its JSON-RPC code, a timeout, content that is not text) but never the prompt, nor the client's
 * own error text, which might quote it.
 */
final class SamplingChatModel implements ChatModel {
  /**
   * All sampling requests of one call together. With {@code memory_ingest}'s longest wait (30 s)
   * the call stays under the 60 s request timeout of the official TypeScript client, and there is
   * time for a client that asks its user to approve the request.
   */
  static final Duration BUDGET = Duration.ofSeconds(25);

  private final McpSyncServerExchange exchange;
  private final long deadline;

  private SamplingChatModel(McpSyncServerExchange exchange, Duration budget) {
    this.exchange = exchange;
    this.deadline = System.nanoTime() + budget.toNanos();
  }

  /**
   * The client's model for one tool call, or null when {@code enabled} is false ({@code
   * OMEM_SAMPLING=off}) or the client does not offer sampling.
   */
  static ChatModel of(McpSyncServerExchange exchange, boolean enabled) {
    McpSchema.ClientCapabilities caps = exchange.getClientCapabilities();
    if (!enabled || caps == null || caps.sampling() == null) {
      return null;
    }
    return new SamplingChatModel(exchange, BUDGET);
  }

  @Override
  public String complete(String system, String user, int maxTokens) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SamplingException(
          "the " + BUDGET.toSeconds() + " s allowed for sampling in one call are spent");
    }
    CreateMessageRequest request = request(system, user, maxTokens);
    CreateMessageResult result;
    try {
      // The SDK's own limit is the session's request timeout; this one is what is left.
      result =
          Mono.fromCallable(() -> exchange.createMessage(request))
              .subscribeOn(Schedulers.boundedElastic())
              .timeout(Duration.ofNanos(left))
              .block();
    } catch (RuntimeException e) {
      throw failure(Exceptions.unwrap(e));
    }
    if (result == null || !(result.content() instanceof McpSchema.TextContent text)) {
      throw new SamplingException(
          "the client's model answered "
              + (result == null || result.content() == null
                  ? "nothing"
                  : result.content().type() + " content")
              + ", not text");
    }
    return text.text();
  }

  static CreateMessageRequest request(String system, String user, int maxTokens) {
    return CreateMessageRequest.builder(
            List.of(
                new McpSchema.SamplingMessage(
                    McpSchema.Role.USER, McpSchema.TextContent.builder(user).build())),
            maxTokens)
        .systemPrompt(system)
        .includeContext(CreateMessageRequest.ContextInclusionStrategy.NONE)
        .temperature(0.0)
        .modelPreferences(
            McpSchema.ModelPreferences.builder()
                .speedPriority(0.8)
                .costPriority(0.8)
                .intelligencePriority(0.3)
                .build())
        .build();
  }

  private static SamplingException failure(Throwable e) {
    if (e instanceof McpError m && m.getJsonRpcError() != null) {
      return new SamplingException(
          "the client refused sampling/createMessage (JSON-RPC error "
              + m.getJsonRpcError().code()
              + ")");
    }
    if (e instanceof TimeoutException) {
      return new SamplingException("the client's model did not answer in time");
    }
    return new SamplingException("sampling/createMessage failed: " + e.getClass().getName());
  }

  /** A sampling request without an answer; the message never quotes the prompt. */
  static final class SamplingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SamplingException(String message) {
      super(message, null, false, false);
    }
  }
}
