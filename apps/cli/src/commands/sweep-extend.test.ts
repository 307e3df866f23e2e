// `ablate extend`'s option parsing: seeds lists and repeated key=value axis values.
import { describe, expect, it } from 'vitest';
import { CliError } from '../client.js';
import { parseAxisValues, parseSeeds } from './sweep-extend.js';

describe('parseAxisValues', () => {
  it('groups values by axis in order, parsing JSON and keeping anything else as a string', () => {
    expect(parseAxisValues(['optimizer.lr=0.3', 'model=resnet20', 'optimizer.lr={"name":"sgd","lr":0.5}', 'flag=true', 'eq=a=b'])).toEqual({
      'optimizer.lr': [0.3, { name: 'sgd', lr: 0.5 }],
      model: ['resnet20'],
      flag: [true],
      eq: ['a=b'],
    });
  });

  it('refuses an option without a key (exit code 2)', () => {
    expect(() => parseAxisValues(['=1'])).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => parseAxisValues(['lr'])).toThrow(CliError);
  });
});

describe('parseSeeds', () => {
  it('reads comma-separated non-negative integers and refuses anything else', () => {
    expect(parseSeeds('3, 4,10')).toEqual([3, 4, 10]);
    for (const bad of ['', '1,,2', '-1', '1.5', 'a']) expect(() => parseSeeds(bad), bad).toThrow(CliError);
  });
});
