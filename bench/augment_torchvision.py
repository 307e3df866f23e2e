#!/usr/bin/python3
"""torchvision/PIL side of the augmentation benchmark: the study's training transform (AutoAugment with the policy
given in policy.json, RandomCrop(32, 4), RandomHorizontalFlip, RandomRotation(15), ToTensor, Normalize, Zhong's
RandomErasing) on the images in images.bin, one thread. Prints {"imagesPerSecond": ...} as JSON.
Usage: /usr/bin/python3 bench/augment_torchvision.py <dir with images.bin, meta.json, policy.json> <repeats>
"""
import json
import math
import os
import random
import sys
import time

import numpy as np
import PIL
import torch
import torchvision.transforms as T
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

torch.set_num_threads(1)
MEAN = (0.5070751592371323, 0.48654887331495095, 0.4409178433670343)
STD = (0.2673342858792401, 0.2564384629170883, 0.27615047132568404)


# The study's op table (kingqiuol/pytorch-template utils/augment/common/augmentations.py, from fast-autoaugment).
def ShearX(img, v):
    if random.random() > 0.5: v = -v
    return img.transform(img.size, Image.AFFINE, (1, v, 0, 0, 1, 0))
def ShearY(img, v):
    if random.random() > 0.5: v = -v
    return img.transform(img.size, Image.AFFINE, (1, 0, 0, v, 1, 0))
def TranslateXAbs(img, v):
    if random.random() > 0.5: v = -v
    return img.transform(img.size, Image.AFFINE, (1, 0, v, 0, 1, 0))
def TranslateYAbs(img, v):
    if random.random() > 0.5: v = -v
    return img.transform(img.size, Image.AFFINE, (1, 0, 0, 0, 1, v))
def Rotate(img, v):
    if random.random() > 0.5: v = -v
    return img.rotate(v)
def AutoContrast(img, _): return ImageOps.autocontrast(img)
def Invert(img, _): return ImageOps.invert(img)
def Equalize(img, _): return ImageOps.equalize(img)
def Solarize(img, v): return ImageOps.solarize(img, v)
def Posterize2(img, v): return ImageOps.posterize(img, int(v))
def Contrast(img, v): return ImageEnhance.Contrast(img).enhance(v)
def Color(img, v): return ImageEnhance.Color(img).enhance(v)
def Brightness(img, v): return ImageEnhance.Brightness(img).enhance(v)
def Sharpness(img, v): return ImageEnhance.Sharpness(img).enhance(v)
def CutoutAbs(img, v):
    w, h = img.size
    x0 = np.random.uniform(w); y0 = np.random.uniform(h)
    x0 = int(max(0, x0 - v / 2.)); y0 = int(max(0, y0 - v / 2.))
    xy = (x0, y0, min(w, x0 + v), min(h, y0 + v))
    img = img.copy()
    ImageDraw.Draw(img).rectangle(xy, (125, 123, 114))
    return img

OPS = {f.__name__: f for f in (ShearX, ShearY, TranslateXAbs, TranslateYAbs, Rotate, AutoContrast, Invert, Equalize,
                                Solarize, Posterize2, Contrast, Color, Brightness, Sharpness, CutoutAbs)}


class Augmentation:
    """Augmentation.__call__ of the study; levels already converted to effective magnitudes."""
    def __init__(self, policies):
        self.policies = policies
    def __call__(self, img):
        policy = random.choice(self.policies)
        for name, pr, v in policy:
            if random.random() > pr:
                continue
            img = OPS[name](img.copy(), v)
        return img


class RandomErasing:
    """zhunzhong07/Random-Erasing, as the study calls it."""
    def __init__(self, probability=0.5, sl=0.02, sh=0.4, r1=0.3, mean=MEAN):
        self.probability, self.mean, self.sl, self.sh, self.r1 = probability, mean, sl, sh, r1
    def __call__(self, img):
        if random.uniform(0, 1) > self.probability:
            return img
        for _ in range(100):
            area = img.size()[1] * img.size()[2]
            target_area = random.uniform(self.sl, self.sh) * area
            aspect_ratio = random.uniform(self.r1, 1 / self.r1)
            h = int(round(math.sqrt(target_area * aspect_ratio)))
            w = int(round(math.sqrt(target_area / aspect_ratio)))
            if w < img.size()[2] and h < img.size()[1]:
                x1 = random.randint(0, img.size()[1] - h)
                y1 = random.randint(0, img.size()[2] - w)
                img[0, x1:x1 + h, y1:y1 + w] = self.mean[0]
                img[1, x1:x1 + h, y1:y1 + w] = self.mean[1]
                img[2, x1:x1 + h, y1:y1 + w] = self.mean[2]
                return img
        return img


def main():
    folder, repeats = sys.argv[1], int(sys.argv[2])
    meta = json.load(open(os.path.join(folder, 'meta.json')))
    raw = np.fromfile(os.path.join(folder, 'images.bin'), dtype=np.uint8).reshape(meta['n'], 32, 32, 3)
    images = [Image.fromarray(a) for a in raw]
    policy = json.load(open(os.path.join(folder, 'policy.json')))
    transform = T.Compose([Augmentation(policy), T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.RandomRotation(15),
                           T.ToTensor(), T.Normalize(MEAN, STD), RandomErasing()])
    random.seed(0); np.random.seed(0); torch.manual_seed(0)
    for img in images[:200]:
        transform(img)  # warm-up
    t0 = time.perf_counter()
    n = 0
    for _ in range(repeats):
        for img in images:
            transform(img)
            n += 1
    dt = time.perf_counter() - t0
    print(json.dumps({'imagesPerSecond': n / dt, 'images': n, 'seconds': dt, 'torch': torch.__version__, 'pillow': PIL.__version__}))


if __name__ == '__main__':
    main()
