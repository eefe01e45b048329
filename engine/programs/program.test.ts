// makeStepper: the one stepper skeleton, on a CPU counter (no GPU needed).

import { describe, expect, it } from 'vitest';
import { makeStepper } from './program';

function counter(count: number) {
  let freed = 0;
  let release: (() => void) | null = null;
  const stepper = makeStepper('test.step', {
    backend: 'cpu',
    count,
    advance: (k) =>
      new Promise<number>((resolve) => {
        release = () => resolve(k * 10);
      }),
    free: () => {
      freed++;
    },
  });
  const finish = () => {
    const r = release;
    release = null;
    r?.();
  };
  return { stepper, freed: () => freed, finish };
}

describe('makeStepper', () => {
  it('counts steps, resolves each to the state after it, and rejects past the end with the label', async () => {
    const { stepper, finish } = counter(2);
    expect([stepper.count, stepper.k, stepper.backend]).toEqual([2, 0, 'cpu']);
    const a = stepper.step();
    finish();
    expect(await a).toBe(0);
    const b = stepper.step();
    finish();
    expect(await b).toBe(10);
    expect(stepper.k).toBe(2);
    await expect(stepper.step()).rejects.toThrow(/test.step: all 2 steps are done/);
    await stepper.reset();
    expect(stepper.k).toBe(0);
  });

  it('refuses a second step while one is in flight', async () => {
    const { stepper, finish } = counter(3);
    const a = stepper.step();
    await expect(stepper.step()).rejects.toThrow(/another step is still running/);
    finish();
    await a;
    expect(stepper.k).toBe(1);
  });

  it('frees once, and only after the step in flight, when disposed during it; then refuses to step', async () => {
    const { stepper, finish, freed } = counter(3);
    const a = stepper.step();
    stepper.dispose();
    stepper.dispose();
    expect(freed()).toBe(0);
    finish();
    await a;
    expect(freed()).toBe(1);
    await expect(stepper.step()).rejects.toThrow(/disposed/);
    await expect(stepper.reset()).rejects.toThrow(/disposed/);
  });
});
