package dev.omem.retrieve;

import static dev.omem.embed.UnitVectors.dot;

import dev.omem.embed.Embedder;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A background of generic developer prompts, written here and about no project, against which the
 * relevance features measure how generic a query is and how much of a hub a memory is (CSLS-style
 * local scaling, Conneau et al. 2018): a memory close to every prompt is no evidence for one, and a
 * query as close to "how do I squash commits" as to anything stored is probably not about the
 * store. Embedded once per embedder, lazily, with the query instruction (they are queries).
 */
final class BackgroundPrompts {
  private BackgroundPrompts() {}

  /** k of the k nearest background prompts whose mean similarity is the background level. */
  static final int K = 10; // CSLS's k (Conneau et al. 2018); not tuned here

  /**
   * Broad and deliberately of every kind a developer types into an agent: language and tool
   * questions, shell and git chores, reviews, greetings. Not taken from any benchmark.
   */
  static final List<String> TEXTS =
      List.of(
          "how do I squash the last three commits into one",
          "what is the difference between a process and a thread",
          "write a function that reverses a linked list",
          "explain big O notation with an example",
          "how can I check which process is listening on port 8080",
          "convert this JSON object to a YAML file",
          "what does a 502 bad gateway error usually mean",
          "write a SQL query that counts orders per customer",
          "how do I set up a Python virtual environment",
          "what are the pros and cons of microservices",
          "hello, can you help me with something?",
          "nice, what next?",
          "ok, looks good",
          "can you explain this error message to me",
          "generate a random password in the terminal",
          "how do closures work in JavaScript",
          "what is dependency injection and why use it",
          "sort a list of dictionaries by a key",
          "rebase my feature branch onto the latest main",
          "write a unit test for a function that adds two numbers",
          "how do I read a file line by line",
          "what is the best way to handle errors in async code",
          "compare REST and gRPC",
          "how to center a div with CSS",
          "explain how HTTPS certificates work",
          "what does the yield keyword do",
          "make this loop faster",
          "rename this variable to something clearer",
          "add comments to this function",
          "review my pull request and point out problems",
          "how do I install Docker on Ubuntu",
          "list all files modified in the last day",
          "what is a race condition and how do I avoid it",
          "write a regular expression to validate an email address",
          "how does garbage collection work",
          "what is the time complexity of quicksort",
          "format a date as ISO 8601",
          "explain the observer design pattern",
          "how do I cherry-pick a commit from another branch",
          "parse command line arguments in a script",
          "what should I name this class",
          "summarize what this code does",
          "how do I profile memory usage of a program",
          "what is the difference between let and const",
          "give me a cron expression for every Monday at 9am",
          "how do environment variables work",
          "I'm stuck, any ideas?",
          "can we pair on a tricky bug later");

  private static final Map<Embedder, float[][]> VECTORS = new WeakHashMap<>();

  /** The background's vectors under {@code embedder}, embedded on first use. */
  static float[][] vectors(Embedder embedder) {
    synchronized (VECTORS) {
      return VECTORS.computeIfAbsent(
          embedder, e -> TEXTS.stream().map(e::embedQuery).toArray(float[][]::new));
    }
  }

  /**
   * The mean similarity of {@code v} to its {@link #K} nearest background vectors (all of them when
   * fewer); 0 without a vector or a background.
   */
  static double level(float[] v, float[][] background) {
    if (v == null || background.length == 0) {
      return 0;
    }
    double[] sims = new double[background.length];
    for (int i = 0; i < background.length; i++) {
      sims[i] = background[i].length == v.length ? dot(v, background[i]) : 0;
    }
    return topMean(sims);
  }

  /** The mean of the {@link #K} largest of {@code sims} (all when fewer; sorts them); 0 if none. */
  static double topMean(double[] sims) {
    if (sims.length == 0) {
      return 0;
    }
    java.util.Arrays.sort(sims);
    int k = Math.min(K, sims.length);
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += sims[sims.length - 1 - i];
    }
    return sum / k;
  }

  /** The highest similarity of {@code v} to a background vector; 0 without one. */
  static double nearest(float[] v, float[][] background) {
    double best = v == null || background.length == 0 ? 0 : -1;
    for (float[] b : background) {
      if (v != null && b.length == v.length) {
        best = Math.max(best, dot(v, b));
      }
    }
    return best;
  }
}
