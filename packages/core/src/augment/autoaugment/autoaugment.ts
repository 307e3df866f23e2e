// The registered `autoaugment` op: as the study's Augmentation.__call__, one sub-policy chosen uniformly per image,
// each of its two ops applied when random.random() ≤ its probability, with the op's effective magnitude.
import type { Rng } from '../../rng.js';
import type { AugmentOp, Image } from '../image.js';
import { registerAugmentation } from '../registry.js';
import { AA_OPS, effectiveMagnitude } from './ops.js';
import { POLICIES, type SubPolicy } from './policies.js';

/** Records which sub-policy was chosen and which ops fired (for statistical tests). */
export type AutoAugmentTrace = (subPolicy: number, fired: boolean[]) => void;

export function autoAugment(policyName: keyof typeof POLICIES, trace?: AutoAugmentTrace): AugmentOp {
  const policy = POLICIES[policyName];
  const compiled = policy.map((sub: SubPolicy) => sub.map(([name, p, level]) => ({ op: AA_OPS[name]!, p, v: effectiveMagnitude(name, level) })));
  return {
    name: 'autoaugment',
    stage: 'uint8',
    input: 'uint8',
    output: 'same',
    apply(img, rng: Rng) {
      if (!(img.data instanceof Uint8Array)) throw new Error('autoaugment needs uint8 pixels; put it before ops that produce floats');
      const k = Math.floor(rng.random() * compiled.length);
      let out = img as Image<Uint8Array>;
      const fired: boolean[] = [];
      for (const { op, p, v } of compiled[k]!) {
        const fire = !(rng.random() > p);
        fired.push(fire);
        if (fire) out = op.apply(out, v, rng);
      }
      trace?.(k, fired);
      return out;
    },
  };
}

registerAugmentation('autoaugment', (o) => autoAugment(o.policy as keyof typeof POLICIES));
