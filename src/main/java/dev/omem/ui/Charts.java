package dev.omem.ui;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts as server-rendered SVG: no script, no library. Each chart is an image with a label that
 * says its numbers in words, for screen readers.
 */
final class Charts {
  private Charts() {}

  private static final int WIDTH = 480;
  private static final int ROW = 22;
  private static final int LABEL = 140;

  /** A few days of data should not fill the chart with one block. */
  private static final int MAX_COLUMN = 24;

  /** Horizontal bars, one per entry, largest first. */
  static void bars(Html h, String id, String title, Map<String, ? extends Number> counts) {
    List<Map.Entry<String, Double>> rows =
        counts.entrySet().stream()
            .map(e -> Map.entry(String.valueOf(e.getKey()), e.getValue().doubleValue()))
            .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
            .limit(12)
            .toList();
    bars(h, id, title, rows, 0, v -> Long.toString(Math.round(v)));
  }

  /**
   * Horizontal bars in the order given, on a scale from 0 to {@code max} (0: the largest value),
   * each value written by {@code format}.
   */
  static void bars(
      Html h,
      String id,
      String title,
      List<Map.Entry<String, Double>> rows,
      double scale,
      java.util.function.DoubleFunction<String> format) {
    double max = scale > 0 ? scale : rows.stream().mapToDouble(Map.Entry::getValue).max().orElse(1);
    int height = Math.max(ROW, rows.size() * ROW);
    StringBuilder words = new StringBuilder(title).append(": ");
    for (var e : rows) {
      words.append(label(e.getKey())).append(' ').append(format.apply(e.getValue())).append("; ");
    }
    h.raw("<figure class=\"chart\"><figcaption id=\"").text(id).raw("\">").text(title);
    h.raw("</figcaption><svg role=\"img\" aria-label=\"").text(words.toString().strip());
    h.raw("\" viewBox=\"0 0 " + WIDTH + " " + height + "\" width=\"" + WIDTH + "\" height=\"");
    h.raw(height + "\">");
    int y = 0;
    for (var e : rows) {
      double w = max <= 0 ? 0 : (WIDTH - LABEL - 60) * e.getValue() / max;
      h.raw("<text x=\"0\" y=\"" + (y + 15) + "\" class=\"axis\">");
      h.text(Views.shorten(label(e.getKey()), 20)).raw("</text>");
      h.raw(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" class=\"bar\"/>",
              LABEL,
              y + 3,
              w));
      h.raw(
          String.format(
              Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\">", LABEL + w + 6, y + 15));
      h.text(format.apply(e.getValue())).raw("</text>");
      y += ROW;
    }
    h.raw("</svg></figure>");
  }

  /** Columns over time: one per day of {@code points} (date, count). */
  static void timeline(Html h, String title, List<Map<String, Object>> points) {
    int height = 160;
    double max =
        points.stream().mapToDouble(p -> ((Number) p.get("count")).doubleValue()).max().orElse(1);
    long total = points.stream().mapToLong(p -> ((Number) p.get("count")).longValue()).sum();
    String words =
        title + ": " + total + " memories over " + points.size() + " days with new memories";
    h.raw("<figure class=\"chart\"><figcaption>").text(title).raw("</figcaption>");
    h.raw("<svg role=\"img\" aria-label=\"").text(words).raw("\" viewBox=\"0 0 " + WIDTH + " ");
    h.raw((height + 20) + "\" width=\"" + WIDTH + "\" height=\"" + (height + 20) + "\">");
    double step = points.isEmpty() ? 0 : (double) WIDTH / points.size();
    for (int i = 0; i < points.size(); i++) {
      double v = ((Number) points.get(i).get("count")).doubleValue();
      double bh = max <= 0 ? 0 : height * v / max;
      h.raw(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\"><title>",
              i * step,
              height - bh,
              Math.max(1, Math.min(MAX_COLUMN, step - 2)),
              bh));
      h.text(points.get(i).get("date") + ": " + (long) v).raw("</title></rect>");
    }
    if (!points.isEmpty()) {
      h.raw("<text x=\"0\" y=\"" + (height + 16) + "\" class=\"axis\">");
      h.text(points.get(0).get("date")).raw("</text>");
      h.raw("<text x=\"" + WIDTH + "\" y=\"" + (height + 16) + "\" class=\"axis end\">");
      h.text(points.get(points.size() - 1).get("date")).raw("</text>");
    }
    h.raw("</svg></figure>");
  }

  private static String label(String key) {
    return key == null || key.isEmpty() ? "(none)" : key;
  }
}
