// "Did you mean" suggestions and the shared error classes.
import { describe, expect, it } from 'vitest';
import { closestNames, editDistance, UnknownComponentError } from './errors.js';

describe('did-you-mean', () => {
  it('computes edit distance', () => {
    expect(editDistance('ranger', 'rangr')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests close names, nearest first, and nothing for unrelated ones', () => {
    const known = ['resnet18', 'resnet50', 'resnet101', 'wrn40_10', 'tiny_cnn'];
    expect(closestNames('resnet5', known)).toEqual(['resnet50', 'resnet18']);
    expect(closestNames('WRN40_10', known)).toEqual(['wrn40_10']);
    expect(closestNames('transformer', known)).toEqual([]);
  });

  it('UnknownComponentError carries a stable code and lists registered names', () => {
    const e = new UnknownComponentError('optimizer', 'rangr', ['sgd', 'ranger']);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('UnknownComponentError');
    expect(e.code).toBe('ERR_UNKNOWN_COMPONENT');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe("Unknown optimizer 'rangr'. Did you mean 'ranger'? Registered: sgd, ranger.");
  });
});
