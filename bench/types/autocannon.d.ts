/**
 * The part of autocannon's API the benchmark uses; autocannon ships no types and @types/autocannon is
 * not a dependency. Field names follow autocannon 9's result object.
 */
declare module "autocannon" {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      pipelining?: number;
      /** Seconds before a request counts as a timeout. */
      timeout?: number;
      /** Each connection cycles through these in order. */
      requests?: Request[];
    }

    /** Percentiles of a histogram; latency in milliseconds, requests in requests per second. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p99: number;
      p99_9: number;
    }

    interface Result {
      latency: Histogram;
      requests: Histogram;
      throughput: Histogram;
      /** Seconds actually run. */
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      "2xx": number;
      statusCodeStats: Record<string, { count: number }>;
    }

    interface Instance extends PromiseLike<Result> {
      /** Fired for every response; `responseTime` is in milliseconds with sub-millisecond precision. */
      on(
        event: "response",
        listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void,
      ): this;
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
