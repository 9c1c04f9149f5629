#!/usr/bin/env python3
"""Error analysis of a nested left-out extraction run (BENCHMARKS.md, session 11).

Reads the pieces dump `scripts/fit-extraction --cv` writes (target/extraction-cv/pieces.tsv: per
piece its conversation, label, left-out probability, its fold's threshold, kept, the facts its words
match, the not-facts it restates, its text) and ../shared/bench/extraction-dev.json, and counts:
- of the labelled facts no kept piece matches: no piece holds the fact's must_match words (said
  across sentences or turns, or split wrongly); the piece holding them is a long one (>= 20 words:
  the fact sits inside a longer request); it scored just below its fold's threshold (within 0.1);
  it scored above it but was dropped by the per-turn cap or the merge;
- of the kept pieces that match no fact: questions, pasted output, requests for an action now
  (the piece starts with a verb in the imperative or "let's"/"can you"/"please"), other.
The categories are for reading the errors, not features of the model.
Then (session 12) what lowering each fold's threshold by 0.05 or 0.1 would add (missed facts newly
held by a piece, pieces holding no fact, pieces restating a not-fact; the cap and merge aside), and
for each supersede pair the pieces of its later conversation that hold the new fact's words and the
pieces kept there.
With --curve (session 14) it prints instead the left-out precision-recall curve: every fold's own
threshold moved by the same shift (a raised threshold keeps the kept pieces above it; a lowered one
adds the pieces in the band, the cap and merge aside), with recall and precision counted as above
(a kept piece holding a fact's words; not one to one) and not-facts kept out.
Usage: scripts/extraction-errors.py target/extraction-cv/pieces.tsv ../shared/bench/extraction-dev.json [--curve]
"""
import json, re, sys
from collections import Counter, defaultdict

rows = []
for line in open(sys.argv[1], encoding='utf-8'):
    conv, label, p, t, kept, fm, nm, text = line.rstrip('\n').split('\t', 7)
    rows.append(dict(conv=conv, p=float(p), t=float(t), kept=kept == '1',
                     facts=json.loads(fm), nots=json.loads(nm), text=text))
data = json.load(open(sys.argv[2], encoding='utf-8'))
facts = []
for c in data['conversations']:
    for f in c['facts']:
        facts.append((c['id'], f['text']))
if '--curve' in sys.argv:
    nots = sum(len(c['not_facts']) for c in data['conversations'])
    print('shift  kept  facts  recall  precision  kept-out')
    for k in range(-6, 13):
        d = k * 0.025
        kept = [r for r in rows if (r['kept'] and r['p'] >= r['t'] + d) or (d < 0 and r['t'] + d <= r['p'] < r['t'])]
        held = {f for r in kept for f in r['facts']}
        restated = {n for r in kept for n in r['nots']}
        good = sum(1 for r in kept if r['facts'])
        print('%+.3f  %4d  %5d  %.3f   %.3f      %.3f' % (d, len(kept), len(held), len(held) / len(facts),
                                                      good / max(1, len(kept)), 1 - len(restated) / nots))
    sys.exit(0)
matched = set()
for r in rows:
    if r['kept']:
        matched.update(r['facts'])  # approximate: a kept piece holding the words (not one-to-one)
by_fact = defaultdict(list)
for r in rows:
    for f in r['facts']:
        by_fact[f].append(r)
miss = Counter()
long_pieces = 0
examples = defaultdict(list)
for i, (conv, text) in enumerate(facts):
    if i in matched:
        continue
    ps = by_fact.get(i, [])
    if not ps:
        cat = 'no piece holds its words'
    else:
        best = max(ps, key=lambda r: r['p'] - r['t'])
        words = len(best['text'].split())
        if best['p'] >= best['t']:
            cat = 'above the threshold, dropped by the cap or merge'
        elif best['t'] - best['p'] <= 0.1:
            cat = 'just below the threshold (within 0.1)'
        elif words >= 20:
            cat = 'inside a longer piece (>= 20 words), well below'
        else:
            cat = 'short piece, well below'
    miss[cat] += 1
    examples[cat].append(text[:90])
    if ps and len(max(ps, key=lambda r: r['p'] - r['t'])['text'].split()) >= 20:
        long_pieces += 1
REQUEST = re.compile(r"(?i)^(?:please |can you |could you |let'?s |lets |now |then |also )?"
                     r"(?:add|make|create|fix|change|remove|update|implement|write|use|show|check|"
                     r"try|run|move|rename|put|set|give|build|refactor|delete|replace|test|look|"
                     r"go|do|start|help|split|keep|get|install|display|open|edit)\b")
fp = Counter()
fpex = defaultdict(list)
for r in rows:
    if not r['kept'] or r['facts']:
        continue
    t = r['text']
    if t.rstrip().endswith('?'):
        cat = 'question'
    elif re.search(r"[{}<>=;]|\berror\b|::|\(\)|\d+:\d+", t, re.I):
        cat = 'pasted output or code'
    elif REQUEST.match(t):
        cat = 'request for an action now'
    else:
        cat = 'other statement'
    if r['nots']:
        cat += ' (restates a must-not)'
    fp[cat] += 1
    fpex[cat].append(t[:90])
print('missed facts (of %d):' % len(facts), sum(miss.values()))
for k, v in miss.most_common():
    print('  %3d  %s   e.g. %s' % (v, k, ' | '.join(examples[k][:2])))
print('  of them, the piece holding the words has >= 20 words (inside a longer turn):', long_pieces)
print('kept pieces matching no fact:', sum(fp.values()))
for k, v in fp.most_common():
    print('  %3d  %s   e.g. %s' % (v, k, ' | '.join(fpex[k][:2])))
for band in (0.05, 0.1):
    inb = [r for r in rows if not r['kept'] and r['t'] - band <= r['p'] < r['t']]
    new = {f for r in inb for f in r['facts'] if f not in matched}
    print('threshold lowered by %.2f: %d more pieces; %d missed facts newly held, %d pieces holding no fact, '
          '%d restating a not-fact' % (band, len(inb), len(new), sum(1 for r in inb if not r['facts']),
                                       sum(1 for r in inb if r['nots'])))
index = {(conv, text): i for i, (conv, text) in enumerate(facts)}
for s in data.get('supersede', []):
    conv = s['after']
    i = index.get((conv, s['new_fact']))
    rs = [r for r in rows if r['conv'] == conv]
    print('supersede %s -> %s: %s' % (s['before'], conv, s['new_fact'][:80]))
    for r in rs:
        if i in r['facts'] or r['kept']:
            print('  %s p %.3f (threshold %.3f)%s  %s' % ('kept' if r['kept'] else 'not kept', r['p'], r['t'],
                                                          ' holds the new fact' if i in r['facts'] else '', r['text'][:80]))
