import { monitorEventLoopDelay } from 'node:perf_hooks';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

const TICK_MS = 5;

/**
 * How long the event loop stalled, two ways:
 * - `wallMs`: perf_hooks.monitorEventLoopDelay's longest delay, wall time. On a shared
 *   machine it also counts the time the OS gave the CPU to other processes.
 * - `cpuMs`: the longest stall the process itself can have caused: each stall seen by a
 *   5 ms timer, capped by the CPU time the process used meanwhile (all its threads, so
 *   an upper bound). A blocking computation shows as much CPU as wall time; waiting
 *   for a CPU the machine gave to others shows none.
 */
export class StallMeter {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private timer?: NodeJS.Timeout;
  private lastWall = 0;
  private lastCpu = 0;
  private worstCpuMs = 0;

  start(): void {
    this.histogram.enable();
    this.lastWall = performance.now();
    this.lastCpu = cpuMicros();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): { wallMs: number; cpuMs: number } {
    clearInterval(this.timer);
    this.tick();
    this.histogram.disable();
    return { wallMs: this.histogram.max / 1e6, cpuMs: this.worstCpuMs };
  }

  private tick(): void {
    const wall = performance.now();
    const cpu = cpuMicros();
    const stalled = Math.min(wall - this.lastWall - TICK_MS, (cpu - this.lastCpu) / 1000);
    this.worstCpuMs = Math.max(this.worstCpuMs, stalled);
    this.lastWall = wall;
    this.lastCpu = cpu;
  }
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
