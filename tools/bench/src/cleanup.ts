// Everything the bench starts (Postgres, flusso, temp dirs) registers its undo here,
// so a normal end, an error and Ctrl-C all leave the machine as it was.
type Task = () => Promise<void> | void;

const tasks: Task[] = [];

/** Register an undo step; the returned function unregisters it (once done by hand). */
export function onCleanup(task: Task): () => void {
  tasks.push(task);
  return () => {
    const i = tasks.indexOf(task);
    if (i >= 0) tasks.splice(i, 1);
  };
}

/** Run every registered step, newest first; errors are reported, never thrown. */
export async function cleanupAll(): Promise<void> {
  while (tasks.length > 0) {
    const task = tasks.pop();
    try {
      await task?.();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanupAll().then(() => process.exit(130));
  });
}
