import { describe, expect, it } from 'vitest';
import { parseRating } from './texts';

describe('parseRating', () => {
  it('reads 1–5 in the forms visitors write them', () => {
    expect(['5', ' 4 ', '５', '3分', '2星', '1 star', '5 stars', '4。'].map(parseRating)).toEqual([5, 4, 5, 3, 2, 1, 5, 4]);
  });
  it('reads a picked survey button or menu item in either language', () => {
    expect(['5 非常满意', '1 非常不满意', '3 Neutral', '4 satisfied'].map(parseRating)).toEqual([5, 1, 3, 4]);
  });
  it('is undefined for anything else', () => {
    expect(['0', '6', '10', '很好', '5 and more', '', '2 非常满意'].map(parseRating)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
