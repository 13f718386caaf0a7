#!/usr/bin/env python3
"""Summary of an `experiment fig3` folder (docs/results.md, Experiment 2 to convergence): per run the steps, best
validation accuracy and its step, the first step at its seed's baseline best, why it stopped, and its seconds; then
the headline ratio (steps of `inception` to its best / steps of `bn-x5` to the same accuracy) per seed, and the
first step of each run at 70, 75, 78 and 80 % validation accuracy.

usage: /usr/bin/python3 scripts/fig3_summary.py docs/results/fig3-converge
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
runs = {}
for f in sorted(root.glob('runs/*/fig3-run.json')):
    r = json.loads(f.read_text())
    runs[r['id']] = r


def best(r):
    return max(r['points'], key=lambda p: (p['value'], -p['step']))


def first_at(r, target):
    for p in r['points']:
        if p['value'] >= target - 1e-12:
            return p['step']
    return None


def baseline_of(r):
    return 'inception' if r['seedIndex'] == 0 else 'inception-seed%d' % (r['seedIndex'] + 1)


print('| run | seed | steps | best (step) | first step at the baseline\'s best | stopped by | training s | wall s |')
print('| --- | --- | ---: | --- | --- | --- | ---: | ---: |')
for rid, r in runs.items():
    b = best(r)
    base = runs.get(baseline_of(r))
    target = best(base)['value'] if base else None
    reach = first_at(r, target) if target is not None else None
    reach_text = '—' if target is None else ('%s (%.2f %%)' % ('{:,}'.format(reach) if reach else 'not reached', 100 * target))
    print('| %s | %d | %s | %.2f %% (%s) | %s | %s | %.0f | %.0f |' % (rid, r['seed'], '{:,}'.format(r['steps']),
          100 * b['value'], '{:,}'.format(b['step']), reach_text, r['stopReason'], r['trainSeconds'], r['wallSeconds']))
print()
for seed_index in (0, 1):
    base_id = 'inception' if seed_index == 0 else 'inception-seed2'
    bn_id = 'bn-x5' if seed_index == 0 else 'bn-x5-seed2'
    if base_id in runs and bn_id in runs:
        b = best(runs[base_id])
        reach = first_at(runs[bn_id], b['value'])
        if reach:
            print('seed %d: inception best %.2f %% at step %d; bn-x5 first at it at step %d; ratio %.2f'
                  % (runs[base_id]['seed'], 100 * b['value'], b['step'], reach, b['step'] / reach))
        else:
            print('seed %d: bn-x5 did not reach %.2f %%' % (runs[base_id]['seed'], 100 * b['value']))

# Steps to fixed accuracies: how fast each run climbs, whether or not it reaches its baseline's best.
levels = (0.70, 0.75, 0.78, 0.80)
print()
print('| run | ' + ' | '.join('first step at %d %%' % round(100 * t) for t in levels) + ' |')
print('| --- | ' + ' | '.join('---:' for _ in levels) + ' |')
for rid, r in runs.items():
    cells = []
    for t in levels:
        s = first_at(r, t)
        cells.append('{:,}'.format(s) if s else 'never')
    print('| %s | %s |' % (rid, ' | '.join(cells)))
