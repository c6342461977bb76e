import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { NotFoundError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { problems } from "../../platform/http/openapi";
import { createRouter } from "../../platform/http/router";
import { isProblemSlug, PROBLEM_TYPES } from "../../platform/problem-types";
import { problemIndexPage, problemPage } from "./problems.pages";

const ProblemTypeSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation-error" }),
    slug: z.string(),
    status: z.number().int(),
    title: z.string(),
    meaning: z.string(),
    todo: z.string().openapi({ description: "What the client should do about it." }),
  })
  .openapi("ProblemType");

const HTML = { "text/html": { schema: z.string() } };
const NEGOTIATED =
  "HTML by default; JSON when the client asks for it (`Accept: application/json` before text/html).";

const listRoute = createRoute({
  method: "get",
  path: "/problems",
  tags: ["Problems"],
  summary: "Every problem type Crossdock answers, with what it means and what to do",
  description: NEGOTIATED,
  responses: {
    200: {
      description: "The problem types",
      content: { "application/json": { schema: z.object({ items: z.array(ProblemTypeSchema) }) }, ...HTML },
    },
  },
});

const pageRoute = createRoute({
  method: "get",
  path: "/problems/{slug}",
  tags: ["Problems"],
  summary: "What a problem type means and what to do: the page its `type` URI resolves to",
  description: `${NEGOTIATED} An unknown slug is a 404 not-found problem.`,
  request: { params: z.object({ slug: z.string().openapi({ param: { name: "slug", in: "path" } }) }) },
  responses: {
    200: {
      description: "The problem type",
      content: { "application/json": { schema: ProblemTypeSchema }, ...HTML },
    },
    ...problems(404),
  },
});

const entry = (slug: keyof typeof PROBLEM_TYPES) => ({
  type: `/problems/${slug}`,
  slug,
  ...PROBLEM_TYPES[slug],
});
const ALL = Object.keys(PROBLEM_TYPES) as (keyof typeof PROBLEM_TYPES)[];

/** JSON only when asked for it over HTML: a browser following a `type` link gets the page. */
const wantsJson = (c: Context<AppEnv>) =>
  accepts(c, { header: "Accept", supports: ["text/html", "application/json"], default: "text/html" }) ===
  "application/json";

export const problemRoutes = createRouter()
  .openapi(listRoute, (c) =>
    wantsJson(c)
      ? c.json({ items: ALL.map(entry) }, 200)
      : c.html(problemIndexPage(ALL.map((s) => [s, PROBLEM_TYPES[s]]))),
  )
  .openapi(pageRoute, (c) => {
    const { slug } = c.req.valid("param");
    if (!isProblemSlug(slug)) throw new NotFoundError("problem type", slug);
    return wantsJson(c) ? c.json(entry(slug), 200) : c.html(problemPage(slug, PROBLEM_TYPES[slug]));
  });
