/** The bindings the baseline uses: the same D1 database crossdock reads, and the quote lifetime. */
export type SameSqlEnv = Pick<Env, "DB" | "QUOTE_TTL_SECONDS">;

export type SameSqlHandler = (request: Request, env: SameSqlEnv, url: URL) => Promise<Response>;

/** Errors are not what the benchmark measures; a short JSON body is enough to tell them apart. */
export const problem = (status: number, detail: string): Response =>
  Response.json({ status, detail }, { status });
