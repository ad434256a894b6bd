import { expect, it } from 'vitest';
import { evaluateRouting } from './simulator';

it('gives the same figures for the same seed, and different ones for another', () => {
  const small = { agents: 12, days: 1 };
  const first = evaluateRouting({ ...small, seed: 7 });
  expect(evaluateRouting({ ...small, seed: 7 })).toEqual(first);
  expect(evaluateRouting({ ...small, seed: 8 })).not.toEqual(first);
  expect(first.arms.rules.assignments).toBeGreaterThan(100);
});

it('learns who is good at what, and learned routing raises CSAT on the default seed', () => {
  const report = evaluateRouting();
  expect(report.modelTruthCorrelation).toBeGreaterThan(0.8);
  expect(report.arms.learned.meanCsat).toBeGreaterThan(report.arms.rules.meanCsat);
  expect(report.arms.learned.resolutionRate).toBeGreaterThan(report.arms.rules.resolutionRate);
});
