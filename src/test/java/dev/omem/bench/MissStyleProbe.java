package dev.omem.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Session 19 (issue 13): where the hook's left-out misses come from, by prompt style. The shipped
 * pair model ({@code base+local}) and gate ({@code s11}) are fitted leave-one-project-out as {@link
 * RelevanceFit} does; each left-out answerable prompt that gets no relevant memory is a miss of
 * ORDER (a candidate that is not relevant scores above every relevant one) or of THRESHOLD (a
 * relevant one is first but scores under the fold's hook threshold). The styles are a surface
 * reading for this diagnosis only (never a feature): pasted error, question, terse (five words or
 * fewer), task (the rest).
 *
 * <p>Run: java -Xmx2g -cp target/classes:target/test-classes:target/omem.jar
 * dev.omem.bench.MissStyleProbe --data ../shared/bench/coding-recall-dev.json --cache
 * &lt;dir&gt;/pairs.tsv
 */
public final class MissStyleProbe {
  private MissStyleProbe() {}

  private static final Pattern ERROR =
      Pattern.compile(
          "(?i)\\b(error|exception|traceback|panic|failed|fails|failing|crash\\w*|denied|undefined|"
              + "cannot|can't|timeout|times out|not found|exit code|warning)\\b");
  private static final Pattern QUESTION =
      Pattern.compile(
          "(?i)^(how|what|why|when|where|which|who|should|can|could|do|does|did|is|are|will|would)\\b");

  static String style(String prompt) {
    String p = prompt.strip();
    if (ERROR.matcher(p).find()) {
      return "pasted error / failure";
    }
    if (p.endsWith("?") || QUESTION.matcher(p).find()) {
      return "question";
    }
    if (p.split("\\s+").length <= 5) {
      return "terse";
    }
    return "task";
  }

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(Path.of(o.get("data")));
    Map<RelevanceFit.Prompt, String> text = new IdentityHashMap<>();
    for (int i = 0; i < prompts.size(); i++) {
      text.put(prompts.get(i), t.prompts().get(i));
    }
    RelevanceFit.SETS = List.of("base+local");
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    List<String> projects =
        prompts.stream().map(RelevanceFit.Prompt::project).distinct().sorted().toList();
    // style -> {answerable, hit, order miss, threshold miss, unrelated, not quiet}
    Map<String, int[]> by = new LinkedHashMap<>();
    List<String> examples = new ArrayList<>();
    // order misses by the first relevant memory's place: 2-3 (under the threshold), 4-10, 11+
    int[] places = new int[3];
    for (String p : projects) {
      RelevanceFit.Fold f =
          RelevanceFit.fold(prompts.stream().filter(q -> !q.project().equals(p)).toList());
      double hook = f.model().hookThreshold();
      for (RelevanceFit.Prompt q : prompts) {
        if (!q.project().equals(p) || q.pairs().isEmpty()) {
          continue;
        }
        RelevanceFit.Scored s = new RelevanceFit.Scored(q, RelevanceFit.predict(f.model(), q));
        List<Integer> order = s.order();
        int top = order.get(0);
        String st = style(text.get(q));
        int[] c = by.computeIfAbsent(st, k -> new int[6]);
        if (!q.answerable()) {
          c[4]++;
          c[5] += s.p()[top] >= hook ? 1 : 0;
          continue;
        }
        c[0]++;
        boolean hit = false;
        for (int r = 0; r < Math.min(RelevanceFit.hookCap, order.size()); r++) {
          int i = order.get(r);
          hit |= s.p()[i] >= hook && q.pairs().get(i).relevant();
        }
        if (hit) {
          c[1]++;
        } else if (q.pairs().get(top).relevant()) {
          c[3]++;
          examples.add(
              String.format(
                  Locale.ROOT, "THRESHOLD %s %.2f<%.2f %s", st, s.p()[top], hook, text.get(q)));
        } else {
          c[2]++;
          int place = 0;
          while (!q.pairs().get(order.get(place)).relevant()) {
            place++;
          }
          int bucket = place < 3 ? 0 : place < 10 ? 1 : 2;
          places[bucket]++;
          examples.add(
              String.format(Locale.ROOT, "ORDER %s place %d %s", st, place + 1, text.get(q)));
        }
      }
    }
    System.out.println(
        "| style | answerable | hit | miss: order | miss: threshold | unrelated | not quiet |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    int[] all = new int[6];
    by.forEach(
        (k, c) -> {
          for (int i = 0; i < 6; i++) {
            all[i] += c[i];
          }
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %d (%.3f) | %d | %d | %d | %d |%n",
              k,
              c[0],
              c[1],
              c[0] == 0 ? 0 : (double) c[1] / c[0],
              c[2],
              c[3],
              c[4],
              c[5]);
        });
    System.out.printf(
        Locale.ROOT,
        "| all | %d | %d (%.3f) | %d | %d | %d | %d |%n",
        all[0],
        all[1],
        (double) all[1] / all[0],
        all[2],
        all[3],
        all[4],
        all[5]);
    System.out.printf(
        "order misses by the first relevant memory's place: 2-3 %d, 4-10 %d, 11+ %d%n",
        places[0], places[1], places[2]);
    if (Boolean.parseBoolean(o.getOrDefault("examples", "false"))) {
      examples.forEach(System.out::println);
    }
  }
}
