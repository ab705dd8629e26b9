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

describe('Redactor bounds', () => {
  const token = (n: number) => `gAAAAAtoken-${n}-${'x'.repeat(20)}`;

  it('never forgets a pinned secret, however many tokens come after it', () => {
    const redactor = new Redactor({ tokens: 3, credentials: 3 });
    redactor.pin('aai-password-secret');
    for (let n = 0; n < 50; n++) redactor.addToken(token(n));
    for (let n = 0; n < 50; n++) redactor.add(`esr-password-${n}`);
    expect(redactor.text('login aai-password-secret')).toBe('login ***');
  });

  it('with the default bounds, 2,500 Keystone tokens later the A&AI password is still masked', () => {
    const redactor = new Redactor();
    redactor.pin('aai-password-secret');
    for (let n = 0; n < 2500; n++) redactor.addToken(token(n));
    expect(redactor.text('password aai-password-secret')).toBe('password ***');
  });

  it('tokens never push out a credential read from A&AI', () => {
    const redactor = new Redactor({ tokens: 2, credentials: 2 });
    redactor.add('region-one-password');
    for (let n = 0; n < 10; n++) redactor.addToken(token(n));
    expect(redactor.text('region-one-password')).toBe('***');
    // The tokens are bounded: the two last are masked, the first forgotten.
    expect(redactor.text(`${token(9)} ${token(8)} ${token(0)}`)).toBe(`*** *** ${token(0)}`);
  });

  it('forgets the least recently seen credential first: one seen again stays', () => {
    const redactor = new Redactor({ tokens: 2, credentials: 2 });
    redactor.add('first-password');
    redactor.add('second-password');
    redactor.add('first-password');
    redactor.add('third-password');
    expect(redactor.text('first-password second-password third-password')).toBe('*** second-password ***');
  });
});
