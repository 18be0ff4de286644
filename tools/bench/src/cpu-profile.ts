// BENCH_CPU_PROFILE=DIR: node flags that write a V8 CPU profile of a spawned
// flusso or osproxy there (open it in Chrome DevTools), to see where a figure goes.
export function cpuProfileFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE;
  return dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}
