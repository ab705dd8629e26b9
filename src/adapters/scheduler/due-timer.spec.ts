import { DueTimer } from './due-timer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DueTimer', () => {
  let timer: DueTimer | undefined;
  afterEach(() => timer?.stop());

  it('sleeps until the next due time when nothing is due (no polling), and a wake brings the round forward', async () => {
    const rounds: number[] = [];
    let nextDue = Date.now() + 60_000;
    timer = new DueTimer(async () => (rounds.push(Date.now()), nextDue), 10, 60_000);
    timer.start();
    await sleep(400);
    expect(rounds).toHaveLength(1);
    nextDue = Date.now() + 400;
    timer.wake();
    await sleep(100);
    expect(rounds).toHaveLength(2);
    // The round said when work is next due: the timer comes back then, not before.
    await sleep(100);
    expect(rounds).toHaveLength(2);
    const due = nextDue;
    nextDue = Date.now() + 60_000;
    for (let waited = 0; rounds.length < 3 && waited < 2_000; waited += 20) await sleep(20);
    expect(rounds).toHaveLength(3);
    expect(rounds[2]).toBeGreaterThanOrEqual(due - 2);
  });

  it('runs one more round at once when woken during a round, never two rounds at a time', async () => {
    let running = 0;
    let overlapped = false;
    let count = 0;
    timer = new DueTimer(
      async () => {
        running += 1;
        overlapped ||= running > 1;
        count += 1;
        if (count === 1) timer!.wake();
        await sleep(30);
        running -= 1;
        return Date.now() + 60_000;
      },
      5,
      60_000,
    );
    timer.start();
    await sleep(150);
    expect(count).toBe(2);
    expect(overlapped).toBe(false);
  });
});
