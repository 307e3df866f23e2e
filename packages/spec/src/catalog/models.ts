// Model catalogue: every architecture name a config may use. Implementations live in packages/core/src/models.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export interface ModelEntry extends CatalogEntry {
  /** Smallest square input the architecture accepts. */
  readonly minInputSize: number;
}

const baseWidth = (d: number) => ({ baseWidth: z.number().int().min(1).max(1024).default(d) });
const resnet = (name: string, blocks: string, block: string) => ({
  name,
  description: `CIFAR ResNet (weiaicunzai/pytorch-cifar100, the study's): 3×3 stride-1 stem, no max-pool, ${block} blocks ${blocks}, widths 64-512. He et al. 2016.`,
  minInputSize: 8,
  options: baseWidth(64),
});
const heResnet = (name: string, n: number) => ({
  name,
  description: `He et al. 2016's CIFAR ResNet-${6 * n + 2}: three stages of ${n} basic blocks at 16/32/64 channels, parameter-free (option A) shortcuts.`,
  minInputSize: 8,
  options: baseWidth(16),
});
const wrn = (depth: number, k: number) => ({
  name: `wrn${depth}_${k}`,
  description: `WideResNet-${depth}-${k} as the study's wideresidual.py: pre-activation blocks, biased convs, dropout (default 0.5). Zagoruyko & Komodakis 2016.`,
  minInputSize: 8,
  options: { dropout: z.number().min(0).lt(1).default(0.5) },
});

export const models = defineCatalog<ModelEntry>('model', [
  {
    name: 'tiny_cnn',
    description: 'Three conv-BN-ReLU stages (stride 1/2/2), global average pool, optional dropout, linear head: a CPU-sized test model.',
    minInputSize: 8,
    options: { width: z.number().int().min(1).max(256).default(8), dropout: z.number().min(0).lt(1).default(0) },
  },
  {
    name: 'mlp',
    description: 'Flatten, one hidden ReLU layer, linear head: the smallest baseline.',
    minInputSize: 1,
    options: { hidden: z.number().int().min(1).max(4096).default(64) },
  },
  resnet('resnet18', '[2,2,2,2]', 'basic'),
  resnet('resnet34', '[3,4,6,3]', 'basic'),
  resnet('resnet50', '[3,4,6,3]', 'bottleneck'),
  resnet('resnet101', '[3,4,23,3]', 'bottleneck'),
  resnet('resnet152', '[3,8,36,3]', 'bottleneck'),
  heResnet('resnet20', 3),
  heResnet('resnet32', 5),
  heResnet('resnet44', 7),
  heResnet('resnet56', 9),
  heResnet('resnet110', 18),
  wrn(40, 10),
  wrn(28, 10),
  wrn(16, 4),
  wrn(16, 2),
  {
    name: 'preactresnet18',
    description: 'Pre-activation ResNet-18 (weiaicunzai/pytorch-cifar100): BN-ReLU-conv blocks, biased convs, conv shortcuts. He et al. 2016b.',
    minInputSize: 8,
    options: {},
  },
  {
    name: 'densenet121',
    description: 'DenseNet-BC-121 for CIFAR (weiaicunzai/pytorch-cifar100): growth 32, blocks [6,12,24,16], compression 0.5. Huang et al. 2017.',
    minInputSize: 8,
    options: { growthRate: z.number().int().min(1).max(256).default(32) },
  },
  {
    name: 'mobilenetv2',
    description: 'MobileNetV2 for CIFAR (weiaicunzai/pytorch-cifar100): inverted residuals with depthwise convs, ReLU6. Sandler et al. 2018.',
    minInputSize: 8,
    options: {},
  },
]);
