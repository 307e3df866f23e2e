#!/usr/bin/python3
"""PyTorch side of the training benchmark: the same architecture (scripts/fixtures/torch_models.py), batch and
thread count; prints {"train": img/s, "infer": img/s} as JSON.
Usage: /usr/bin/python3 bench/training_torch.py <model> <batch> <threads> <steps>"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'scripts', 'fixtures'))
import torch
import torch.nn.functional as F
from torch_models import build

name, batch, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
m = build(name, {}, 10)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(batch, 3, 32, 32)
y = torch.arange(batch) % 10


def step():
    opt.zero_grad()
    F.cross_entropy(m(x), y).backward()
    opt.step()


m.train()
step()
t = time.perf_counter()
for _ in range(steps):
    step()
train = batch * steps / (time.perf_counter() - t)
m.eval()
with torch.no_grad():
    m(x)
    t = time.perf_counter()
    for _ in range(steps):
        m(x)
    infer = batch * steps / (time.perf_counter() - t)
print(json.dumps({'train': train, 'infer': infer, 'torch': torch.__version__}))
