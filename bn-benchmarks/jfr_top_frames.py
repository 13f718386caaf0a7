#!/usr/bin/env python3
"""Top frames (self) and inclusive frames of the samples inside a method in a JFR recording:
    jfr print --json --stack-depth 200 --events jdk.ExecutionSample,jdk.NativeMethodSample step.jfr > step.json
    python3 bn-benchmarks/jfr_top_frames.py step.json [TOP] [INCLUSIVE]
By default the main thread inside ComputationGraph.fit; UNDER=method (a substring of 'package.Class.method') and
THREAD=name ('' for any thread) choose others, e.g. a JMH benchmark:
    UNDER=trainBn4jLayer THREAD= python3 bn-benchmarks/jfr_top_frames.py rec.json 8 0
"""
import collections
import json
import os
import sys

under = os.environ.get('UNDER', 'ComputationGraph.fit')
thread = os.environ.get('THREAD', 'main')
d = json.load(open(sys.argv[1]))
ev = d['recording']['events']
top = collections.Counter(); incl = collections.Counter(); n = 0
for e in ev:
    st = e['values'].get('stackTrace')
    if not st: continue
    frames = st['frames']
    names = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in frames]
    if not any(under in x for x in names): continue
    if thread and e['values'].get('sampledThread', {}).get('javaName') != thread: continue
    n += 1
    top[names[0]] += 1
    for x in set(names): incl[x] += 1
print("samples", n, "under", under, "thread", thread or "any")
print("== top frames")
for k, v in top.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 30): print(f"{100*v/n:5.1f} {k}")
print("== inclusive")
for k, v in incl.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 80): print(f"{100*v/n:5.1f} {k}")
