import { Redactor } from './redactor';

describe('Redactor', () => {
  it('masks a secret as written, JSON-escaped and URL-encoded, and strips control characters', () => {
    const redactor = new Redactor();
    redactor.add('p"w\\d/@%&');
    expect(redactor.text('a p"w\\d/@%& b p\\"w\\\\d/@%& c p%22w%5Cd%2F%40%25%26 \u0007d')).toBe('a *** b *** c *** d');
  });

  it('redacts objects string by string: a numeric password leaves numbers alone', () => {
    const redactor = new Redactor();
    redactor.add('1234');
    expect(redactor.value({ count: 1234, message: 'token 1234 used', list: ['x1234y', 'v 1234'] })).toEqual({
      count: 1234,
      message: 'token *** used',
      list: ['x1234y', 'v ***'],
    });
  });

  it('keeps a log line on one line', () => {
    expect(new Redactor().line('first\r\n  second\nthird')).toBe('first second third');
  });
});
