/** The only binding the baseline uses: the same D1 database crossdock reads. */
export type BareEnv = Pick<Env, "DB">;

export type BareHandler = (request: Request, env: BareEnv, url: URL) => Promise<Response>;

/** Errors are not what the benchmark measures; a short JSON body is enough to tell them apart. */
export const problem = (status: number, detail: string): Response =>
  Response.json({ status, detail }, { status });
