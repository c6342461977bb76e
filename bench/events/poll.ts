/** Polls `read` every `everyMs` until `done` holds or `limitMs` passes; returns the last reading. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  limitMs: number,
  everyMs = 20,
): Promise<T> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
