import { loggedUrl } from './request-observer';

describe('loggedUrl', () => {
  it('masks each query value, keeping the names', () => {
    expect(loggedUrl('/api/x/v1/o/r/image/v2/images?limit=5&token=gAAAAsecret&flag&empty=')).toBe('/api/x/v1/o/r/image/v2/images?limit=***&token=***&flag&empty=');
  });

  it('leaves a URL without a query alone', () => {
    expect(loggedUrl('/api/multicloud-starlingx/v1/o/r/registry')).toBe('/api/multicloud-starlingx/v1/o/r/registry');
  });

  it('cuts a hostile URL at 1,024 characters', () => {
    expect(loggedUrl(`/${'a'.repeat(5000)}`)).toBe(`/${'a'.repeat(1023)}…`);
  });
});
