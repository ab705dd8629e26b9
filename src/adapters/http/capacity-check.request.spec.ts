import 'reflect-metadata';
import { validateSync } from 'class-validator';

import { InvalidRequestError } from '../../domain/errors';
import { CapacityCheckRequest, CapacityDemandPipe } from './capacity-check.request';

const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

describe('CapacityDemandPipe (class-validator over the domain rule)', () => {
  const pipe = new CapacityDemandPipe();
  const refused = (body: string) => {
    try {
      pipe.transform(body);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('gives the domain demand: numbers and numeric strings, fractions truncated, other keys ignored', () => {
    expect(pipe.transform(JSON.stringify({ vCPU: ' 2e1 ', Memory: 51200.5, Storage: '900.9', VIMs: ['x'] }))).toEqual({ vCPU: 20, Memory: 51200, Storage: 900 });
  });

  it("names the first bad field in the order vCPU, Memory, Storage, in the domain's words", () => {
    expect(refused('{"Memory": -1, "Storage": "x"}')).toBe('vCPU is required');
    expect(refused('{"vCPU": 1, "Memory": -1, "Storage": "x"}')).toBe('Memory must not be negative');
    expect(refused('{"vCPU": 1, "Memory": 1, "Storage": "x"}')).toBe('Storage must be a number or a numeric string, not the string "x"');
  });

  it('answers a deeply nested body as bad input, never a stack overflow', () => {
    expect(refused(`{"vCPU": ${DEEP}, "Memory": 1, "Storage": 1}`)).toBe('vCPU must be a number or a numeric string, not an array');
    expect(pipe.transform(`{"vCPU": 1, "Memory": 1, "Storage": 1, "pad": ${DEEP}}`)).toEqual({ vCPU: 1, Memory: 1, Storage: 1 });
  });

  it('refuses a body that is not JSON, or not an object', () => {
    expect(refused('{"vCPU": 1,')).toBe('the body is not valid JSON');
    expect(refused('[1, 2]')).toBe('the body must be a JSON object with vCPU, Memory and Storage');
  });

  it('is a class-validator class: its constraints report each bad field', () => {
    const errors = validateSync(CapacityCheckRequest.of({ vCPU: 'four', Memory: 1 }));
    expect(errors.map((e) => [e.property, Object.values(e.constraints ?? {})])).toEqual([
      ['vCPU', ['vCPU must be a number or a numeric string, not the string "four"']],
      ['Storage', ['Storage is required']],
    ]);
  });
});
