#!/usr/bin/env python3
# Summary of experiment fig1's accuracy CSV (docs/results.md, Experiment 1): final and best accuracy per network,
# the first step at 90 %, and the first step at the final accuracy of the network without BN.
# usage: /usr/bin/python3 scripts/fig1_summary.py docs/results/fig1/fig1-accuracy.csv
import csv,sys,collections
rows=list(csv.DictReader(open(sys.argv[1])))
series=collections.OrderedDict()
for r in rows: series.setdefault(r['network'],[]).append((int(r['step']),float(r['test_accuracy'])))
nobn=[s for s in series if s=='without BN'][0]
final_nobn=series[nobn][-1][1]
print('| network | final | best (step) | first step at >= 90 %% | first step at >= %.2f %% (final without BN) |' % (100*final_nobn))
print('| --- | --- | --- | --- | --- |')
for name,pts in series.items():
    best=max(pts,key=lambda p:p[1])
    def first(t):
        for s,v in pts:
            if v>=t: return '{:,}'.format(s)
        return 'not reached'
    print('| %s | %.2f %% | %.2f %% (%s) | %s | %s |' % (name,100*pts[-1][1],100*best[1],'{:,}'.format(best[0]),first(0.90),first(final_nobn)))
