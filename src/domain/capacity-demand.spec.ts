import { InvalidRequestError } from './errors';
import { fits, isNumericString, parseCapacityDemand, remainingCapacity } from './capacity-demand';

const compute = { maxTotalCores: 20, totalCoresUsed: 4, maxTotalRAMSize: 51200, totalRAMUsed: 1200 };
/** What the hosts have free (see scheduler-capacity: the audit's figures, or the statistics with the ratio). */
const free = { vCPU: 10, pCPU: 6, Memory: 8000, Storage: 500 };
const volume = { maxTotalVolumeGigabytes: 1000, totalGigabytesUsed: 900 };

describe('remainingCapacity', () => {
  it('caps the quota left by what the hosts have free; dedicated and shared cores share the cores quota', () => {
    expect(remainingCapacity(compute, free, volume)).toEqual({ cores: 16, vCPU: 10, pCPU: 6, Memory: 8000, Storage: 100 });
  });

  it('is the quota alone when the hypervisors may not be read (403)', () => {
    expect(remainingCapacity(compute, undefined, volume)).toEqual({ cores: 16, vCPU: 16, pCPU: 16, Memory: 50000, Storage: 100 });
  });

  it('reads a negative maximum as unlimited', () => {
    expect(remainingCapacity({ maxTotalCores: -1, totalCoresUsed: 5, maxTotalRAMSize: -1 }, undefined, { maxTotalVolumeGigabytes: -1 })).toEqual({
      cores: Infinity,
      vCPU: Infinity,
      pCPU: Infinity,
      Memory: Infinity,
      Storage: Infinity,
    });
  });

  it('without a volume service, storage is bounded by the hypervisors only', () => {
    expect(remainingCapacity(compute, free, undefined).Storage).toBe(500);
  });
});

describe('fits', () => {
  const remaining = { cores: 12, vCPU: 10, pCPU: 6, Memory: 8000, Storage: 100 };
  it.each([
    [{ vCPU: 10, Memory: 8000, Storage: 100 }, true],
    [{ vCPU: 11, Memory: 1, Storage: 1 }, false],
    [{ vCPU: 1, Memory: 8000.5, Storage: 1 }, false],
    [{ vCPU: 1, Memory: 1, Storage: 101 }, false],
    [{ vCPU: 6, pCPU: 6, Memory: 1, Storage: 1 }, true],
    [{ vCPU: 0, pCPU: 7, Memory: 1, Storage: 1 }, false], // more dedicated cores than free
    [{ vCPU: 7, pCPU: 6, Memory: 1, Storage: 1 }, false], // 13 cores: over the quota's 12
  ])('%j → %s', (demand, expected) => {
    expect(fits(demand, remaining)).toBe(expected);
  });
});

describe('parseCapacityDemand', () => {
  it('takes numbers and numeric strings, truncating toward zero like int()', () => {
    expect(parseCapacityDemand({ vCPU: '10', Memory: 2048.9, Storage: ' 1.5e1 ', VIMs: [] })).toEqual({ vCPU: 10, Memory: 2048, Storage: 15 });
    expect(parseCapacityDemand({ vCPU: 0, Memory: '0.99', Storage: '+3' })).toEqual({ vCPU: 0, Memory: 0, Storage: 3 });
  });

  it.each<[unknown, string]>([
    [{ Memory: 1, Storage: 1 }, 'vCPU is required'],
    [{ vCPU: -1, Memory: 1, Storage: 1 }, 'vCPU must not be negative'],
    [{ vCPU: 1, Memory: Number.NaN, Storage: 1 }, 'Memory must be finite'],
    [{ vCPU: 1, Memory: 1, Storage: '12abc' }, 'Storage must be a number or a numeric string, not the string "12abc"'],
    [null, 'the body must be a JSON object with vCPU, Memory and Storage'],
  ])('refuses %j', (body, message) => {
    expect(() => parseCapacityDemand(body)).toThrow(new InvalidRequestError(message));
  });

  it('takes an optional pCPU like vCPU, and leaves it out when absent', () => {
    expect(parseCapacityDemand({ vCPU: 1, Memory: 1, Storage: 1, pCPU: ' 4.7 ' })).toEqual({ vCPU: 1, Memory: 1, Storage: 1, pCPU: 4 });
    expect(parseCapacityDemand({ vCPU: 1, Memory: 1, Storage: 1, pCPU: 2 })).toEqual({ vCPU: 1, Memory: 1, Storage: 1, pCPU: 2 });
    expect(parseCapacityDemand({ vCPU: 1, Memory: 1, Storage: 1 })).toEqual({ vCPU: 1, Memory: 1, Storage: 1 });
  });

  it.each<[unknown, string]>([
    [{ vCPU: 1, Memory: 1, Storage: 1, pCPU: -2 }, 'pCPU must not be negative'],
    [{ vCPU: 1, Memory: 1, Storage: 1, pCPU: null }, 'pCPU must be a number or a numeric string, not null'],
    [{ vCPU: 1, Memory: 1, Storage: 1, pCPU: 'two' }, 'pCPU must be a number or a numeric string, not the string "two"'],
  ])('refuses a bad pCPU %j', (body, message) => {
    expect(() => parseCapacityDemand(body)).toThrow(new InvalidRequestError(message));
  });
});

describe('isNumericString', () => {
  // The same language as /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/, the expression it replaced.
  it.each(['10', ' 2.5 ', '1e3', '+3', '-1', '.5', '5.', '1.5E+10', '0.99', '\t7\n', '3e-2'])('accepts %j', (text) => {
    expect(isNumericString(text)).toBe(true);
  });

  it.each(['', ' ', '.', '+', '1e', 'e3', '1.2.3', '12abc', '1 2', '--1', '1e+', '0x10', 'Infinity', '١٢', '1_000'])('refuses %j', (text) => {
    expect(isNumericString(text)).toBe(false);
  });

  it('reads a megabyte of digits that ends in a letter in one pass', () => {
    const text = `${'1'.repeat(1_000_000)}x`;
    const started = performance.now();
    expect(isNumericString(text)).toBe(false);
    expect(() => parseCapacityDemand({ vCPU: text, Memory: 1, Storage: 1 })).toThrow(InvalidRequestError);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
