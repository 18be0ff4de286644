// Resident memory of a process from /proc/<pid>/status, sampled every 100 ms.
// VmHWM is the kernel's own high-water mark, so a spike between samples still counts.
import { readFileSync } from 'node:fs';

function kib(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

export class RssSampler {
  private currentKiB = 0;
  private peakKiB = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
    this.sample();
  }

  /** Latest VmRSS in MiB. */
  currentMiB(): number {
    this.sample();
    return this.currentKiB / 1024;
  }

  /** Peak resident set since the process started, in MiB. */
  peakMiB(): number {
    this.sample();
    return this.peakKiB / 1024;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    let status: string;
    try {
      status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    } catch {
      return; // exited: keep the last figures
    }
    this.currentKiB = kib(status, 'VmRSS');
    this.peakKiB = Math.max(this.peakKiB, this.currentKiB, kib(status, 'VmHWM'));
  }
}
