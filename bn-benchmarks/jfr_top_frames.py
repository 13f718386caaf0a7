#!/usr/bin/env python3
"""Top frames (self) and inclusive frames of the main thread inside ComputationGraph.fit in a JFR recording:
    jfr print --json --stack-depth 200 --events jdk.ExecutionSample,jdk.NativeMethodSample step.jfr > step.json
    python3 bn-benchmarks/jfr_top_frames.py step.json [TOP] [INCLUSIVE]
"""
import json, sys, collections
d = json.load(open(sys.argv[1]))
ev = d['recording']['events']
top = collections.Counter(); incl = collections.Counter(); n = 0
for e in ev:
    st = e['values'].get('stackTrace')
    if not st: continue
    frames = st['frames']
    names = [f['method']['type']['name'] + '.' + f['method']['name'] for f in frames]
    if not any('ComputationGraph.fit' in x for x in names): continue
    if e['values'].get('sampledThread', {}).get('javaName') != 'main': continue
    n += 1
    top[names[0]] += 1
    for x in set(names): incl[x] += 1
print("samples", n)
print("== top frames")
for k, v in top.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 30): print(f"{100*v/n:5.1f} {k}")
print("== inclusive")
for k, v in incl.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 80): print(f"{100*v/n:5.1f} {k}")
