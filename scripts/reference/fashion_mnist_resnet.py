#!/usr/bin/python3
"""PyTorch 1.13 (Debian) reference for the real-data test (packages/core/test/real-data.test.ts): He's resnet20 at base
width 8 on the exact Fashion-MNIST subset the test uses (exported by scripts/reference/export-dataset.ts), same recipe:
SGD lr 0.05, momentum 0.9, weight decay 5e-4, batch 64, cosine to 0 per iteration, cross-entropy, no augmentation,
N epochs; test top-1 after each epoch, for several seeds.
Usage: /usr/bin/python3 scripts/reference/fashion_mnist_resnet.py <export dir> [epochs] [seeds]
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'fixtures'))

import numpy as np
import torch
import torch.nn.functional as F
from torch_models import build

torch.set_num_threads(2)


def load(d, split, meta):
    x = np.fromfile(os.path.join(d, f'{split}.u8'), dtype=np.uint8).reshape(-1, meta['height'], meta['width'], meta['channels'])
    y = np.fromfile(os.path.join(d, f'{split}.labels.i32'), dtype=np.int32)
    x = (x.astype(np.float32) / 255 - np.array(meta['mean'], dtype=np.float32)) / np.array(meta['std'], dtype=np.float32)
    return torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(y.astype(np.int64))


def run(d, epochs, seed):
    meta = json.load(open(os.path.join(d, 'meta.json')))
    xtr, ytr = load(d, 'train', meta)
    xte, yte = load(d, 'test', meta)
    torch.manual_seed(seed)
    model = build('resnet20', {'baseWidth': 8}, meta['classes'])
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    iters = math.ceil(len(ytr) / 64)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * iters, eta_min=0)
    accs = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(ytr))
        for b in range(iters):
            idx = order[b * 64:(b + 1) * 64]
            opt.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            accs.append((model(xte).argmax(1) == yte).float().mean().item())
    return accs


if __name__ == '__main__':
    d = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    results = {seed: run(d, epochs, seed) for seed in range(seeds)}
    for seed, accs in results.items():
        print(json.dumps({'seed': seed, 'top1_per_epoch': accs}))
    finals = [a[-1] for a in results.values()]
    print(json.dumps({'torch': torch.__version__, 'epochs': epochs, 'final_top1': {'min': min(finals), 'mean': sum(finals) / len(finals), 'max': max(finals)}}))
