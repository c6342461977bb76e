import type { z } from "@hono/zod-openapi";
import type { ErrorHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { formatMoney } from "../../../flows/pricing/money";
import { AppError, ValidationError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { handleError } from "../../../platform/http/error-handler";
import { fieldErrors } from "../../../platform/http/validation";

/**
 * A record page's filters read with its /ops twin's query schema. A filter form sends every field, and
 * an empty one ("any") means no filter, so empty values are dropped first; the rest must pass the
 * schema as the /ops list's query must.
 *
 * @throws ValidationError (400) naming each bad field.
 */
export function filtersOf<S extends z.ZodType>(
  schema: S,
  query: Record<string, string>,
  pageOnly: readonly string[] = [],
): z.output<S> {
  const given = Object.fromEntries(
    Object.entries(query).filter(([k, v]) => v !== "" && !pageOnly.includes(k)),
  );
  const parsed = schema.safeParse(given);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, "query"));
  return parsed.data;
}

/**
 * The error handler of a record section: a client's mistake (a bad filter or cursor, an unknown id, a
 * refused action) is a page in the console's frame with its 4xx status, what was wrong and a way back;
 * anything else is the app's usual problem answer.
 *
 * @example
 * consoleSection("Jobs", "/console/jobs", (r) => r.onError(recordErrors("/console/jobs")).get(...))
 */
export const recordErrors =
  (section: string): ErrorHandler<AppEnv> =>
  (err, c) => {
    if (!(err instanceof AppError) || err.status >= 500) return handleError(err, c);
    const fields = err instanceof ValidationError ? err.errors : [];
    c.status(err.status as ContentfulStatusCode);
    return c.render(
      <>
        <h1>{err.title}</h1>
        <p role="alert" class="error">
          {err.message}
        </p>
        {fields.length > 0 && (
          <ul>
            {fields.map((f) => (
              <li key={f.field}>
                <code>{f.field}</code>: {f.message}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href={section}>Back to the first page, without filters</a>
        </p>
      </>,
      { title: err.title, section },
    );
  };

/** Where an event's page is: the console's record of a fact, linked from every page that names one. */
export const eventHref = (id: string) => `/console/events/${encodeURIComponent(id)}`;

export const EventLink = ({ id }: { id: string }) => (
  <a href={eventHref(id)}>
    <code>{id}</code>
  </a>
);

/** A UTC time as people read it, with the exact instant in `datetime`; a dash for none. */
export const Time = ({ at }: { at: string | null }) =>
  at === null ? (
    <span class="muted">—</span>
  ) : (
    <time datetime={at}>{`${at.slice(0, 19).replace("T", " ")}Z`}</time>
  );

export const Badge = ({ tone, children }: { tone?: "ok" | "warn" | "danger"; children: string }) => (
  <span class={tone ? `badge ${tone}` : "badge"}>{children}</span>
);

/** A column header for figures, right-aligned like its cells. */
export const NumHeader = ({ children }: { children: string }) => (
  <th scope="col" class="num">
    {children}
  </th>
);

/** Pretty JSON in a block that scrolls sideways, reachable by keyboard so it can be scrolled without a mouse. */
export const Json = ({ value }: { value: unknown }) => (
  <pre tabindex={0}>{JSON.stringify(value, null, 2)}</pre>
);

/** A filter form's select: "any" first (an empty value, so no filter), then each option. */
export const Choice = ({
  id,
  name,
  label,
  options,
  value,
}: {
  id: string;
  name: string;
  label: string;
  options: readonly string[];
  value: string | undefined;
}) => (
  <>
    <label for={id}>{label}</label>
    <select id={id} name={name}>
      <option value="">any</option>
      {options.map((o) => (
        <option key={o} value={o} selected={o === value}>
          {o}
        </option>
      ))}
    </select>
  </>
);

/**
 * Links to the first and the next page of a keyset list, keeping its filters (and page size): pages
 * are only ever reached forward from a cursor, never by offset.
 */
export function Pager({
  path,
  filters,
  cursor,
  nextCursor,
}: {
  path: string;
  filters: Readonly<Record<string, string | number | undefined>>;
  cursor: string | undefined;
  nextCursor: string | null;
}) {
  if (cursor === undefined && nextCursor === null) return null;
  const href = (next?: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== undefined && k !== "cursor") q.set(k, String(v));
    if (next !== undefined) q.set("cursor", next);
    const query = q.toString();
    return query ? `${path}?${query}` : path;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {cursor !== undefined && <a href={href()}>First page</a>}
      {nextCursor !== null && (
        <a href={href(nextCursor)} rel="next">
          Next page
        </a>
      )}
    </nav>
  );
}

/** What a list shows when a page has no rows. */
export const Empty = ({ what }: { what: string }) => <p class="muted">{`No ${what} match.`}</p>;

/** Money as the console shows it: see formatMoney. */
export const money = formatMoney;
