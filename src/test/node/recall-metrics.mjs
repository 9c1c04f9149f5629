// Scoring for the LoCoMo retrieval benchmark (bench-recall.mjs), as defined in
// ../shared/bench/README.md: evidence recall@k, any@k, all@k, session any@k and MRR over the
// conversation's turns. Pure functions, no I/O.

/** The cut-offs every per-question metric is computed at. */
export const KS = [1, 5, 10, 25];

/** How deep MRR looks: the first evidence turn below this rank scores 0. */
export const MRR_DEPTH = 50;

const TURN_ID = /^D\d+:\d+$/;

/**
 * The evidence turn ids of a QA item: each entry split on ';', ',' and white space, keeping the
 * tokens of the form D<n>:<i> that name an existing turn (deduplicated, in order).
 */
export function parseEvidence(entries, turnIds) {
  const out = [];
  for (const entry of entries ?? []) {
    for (const token of String(entry).split(/[;,\s]+/)) {
      if (TURN_ID.test(token) && turnIds.has(token) && !out.includes(token)) {
        out.push(token);
      }
    }
  }
  return out;
}

/** "D12:3" -> "D12". */
export function sessionOf(diaId) {
  return diaId.slice(0, diaId.indexOf(':'));
}

/**
 * Turns the server's ranked memory ids into ranked turns: a memory stored for several identical
 * turns stands for all of them at its rank; a turn keeps the rank where it first appears.
 * Returns [{diaId, rank}] in rank order (rank = 1-based position in the result list).
 */
export function rankTurns(resultIds, diaIdsOfMemory) {
  const seen = new Set();
  const ranked = [];
  resultIds.forEach((id, i) => {
    for (const diaId of diaIdsOfMemory.get(id) ?? []) {
      if (!seen.has(diaId)) {
        seen.add(diaId);
        ranked.push({ diaId, rank: i + 1 });
      }
    }
  });
  return ranked;
}

/** Every metric of one question, from its evidence and the ranked turns of its search. */
export function questionMetrics(evidence, ranked) {
  const ev = new Set(evidence);
  const evSessions = new Set(evidence.map(sessionOf));
  const m = {};
  for (const k of KS) {
    const hits = ranked.filter((t) => t.rank <= k && ev.has(t.diaId)).length;
    m[`recall@${k}`] = hits / ev.size;
    m[`any@${k}`] = hits > 0 ? 1 : 0;
    m[`all@${k}`] = hits === ev.size ? 1 : 0;
  }
  // Sessions in order of their first appearance in the ranking.
  const sessions = [];
  for (const t of ranked) {
    const s = sessionOf(t.diaId);
    if (!sessions.includes(s)) {
      sessions.push(s);
    }
  }
  for (const k of KS) {
    m[`sess_any@${k}`] = sessions.slice(0, k).some((s) => evSessions.has(s)) ? 1 : 0;
  }
  const first = ranked.find((t) => ev.has(t.diaId) && t.rank <= MRR_DEPTH);
  m.mrr = first ? 1 / first.rank : 0;
  m.first_evidence_rank = first ? first.rank : null;
  return m;
}

/** The columns of the summary table: [metric key, heading]. */
export const COLUMNS = [
  ['recall@1', 'R@1'],
  ['recall@5', 'R@5'],
  ['recall@10', 'R@10'],
  ['recall@25', 'R@25'],
  ['any@5', 'any@5'],
  ['any@10', 'any@10'],
  ['all@10', 'all@10'],
  ['sess_any@1', 'sess-any@1'],
  ['sess_any@5', 'sess-any@5'],
  ['mrr', 'MRR'],
];

/** Every averaged metric key (the table shows a subset). */
export const METRIC_KEYS = [
  ...KS.flatMap((k) => [`recall@${k}`, `any@${k}`, `all@${k}`, `sess_any@${k}`]),
  'mrr',
];

/**
 * Averages over questions (pooled over conversations) for the rows 1..5, "1-4" and "all".
 * `rows` are scored questions: {category, metrics}. Returns {row: {n, <metric>: mean}}.
 */
export function summarize(rows) {
  const groups = [
    ...[1, 2, 3, 4, 5].map((c) => [String(c), (r) => r.category === c]),
    ['1-4', (r) => r.category >= 1 && r.category <= 4],
    ['all', () => true],
  ];
  const out = {};
  for (const [name, keep] of groups) {
    const g = rows.filter(keep);
    const s = { n: g.length };
    for (const key of METRIC_KEYS) {
      s[key] = g.length === 0 ? null : g.reduce((a, r) => a + r.metrics[key], 0) / g.length;
    }
    out[name] = s;
  }
  return out;
}

/** The summary as a Markdown table. */
export function markdownTable(summary) {
  const head = ['cat', 'n', ...COLUMNS.map(([, h]) => h)];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const [name, s] of Object.entries(summary)) {
    const cells = COLUMNS.map(([key]) => (s[key] === null ? '–' : s[key].toFixed(3)));
    lines.push(`| ${name} | ${s.n} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Nearest-rank percentile (p in (0, 1]) of a list of numbers; null when empty. */
export function percentile(values, p) {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** {n, p50, p95, mean} of a list of millisecond timings, rounded to 0.1 ms. */
export function latencyStats(ms) {
  const r = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    n: ms.length,
    p50: r(percentile(ms, 0.5)),
    p95: r(percentile(ms, 0.95)),
    mean: r(ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : null),
  };
}
