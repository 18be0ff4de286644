// Exit codes both binaries use.

/** 0 ok, 1 runtime failure, 2 bad config or usage. */
export const ExitCode = Object.freeze({ ok: 0, failure: 1, usage: 2 } as const);

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
