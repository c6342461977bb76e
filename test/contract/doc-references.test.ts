import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

// Every file or folder the docs name must exist: a move or a rename that leaves a Markdown file pointing
// at the old place fails here, naming the doc, its line and the path. Checked: Markdown links and
// images, code spans that look like repository paths, and path lines of plain fenced blocks (trees).

const ROOT = resolve(import.meta.dirname, "..", "..");

/** The Markdown that documents the project: README.md, docs/*.md, and every README.md in these trees. */
const README_TREES = ["src", "test", "bench", "gameday", "scripts"];
/** Never walked: dependencies, build output, local state and run results. */
const SKIPPED_DIRS = ["node_modules", ".wrangler", "dist", "public", ".tmp"];
const SKIPPED_PATHS = ["gameday/.results", "bench/.results"];

/** A code span is a repository path when it starts with one of these folders… */
const PATH_PREFIXES = [
  "src/",
  "test/",
  "bench/",
  "gameday/",
  "scripts/",
  "migrations/",
  "docs/",
  ".ci/",
  "public/",
];
/** …or is one of the files at the root. */
const ROOT_FILES = [
  "wrangler.toml",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "vitest.config.ts",
  "drizzle.config.ts",
  "worker-configuration.d.ts",
  ".dependency-cruiser.cjs",
  "biome.json",
  ".npmrc",
  ".gitignore",
  ".dev.vars.example",
  "redocly.yaml",
  ".spectral.yaml",
];

const toPosix = (p: string) => p.split(sep).join("/");

/**
 * The .gitignore patterns, matched the simple way the file needs (names, `dir/`, `a/b/`, `*.log`).
 * A path under an ignored location (`.wrangler/state`, `gameday/.results/`, `public/`, `.dev.vars`) is
 * made at run time or on install, so it is not in a fresh checkout: such a reference is not checked.
 */
const ignoredPatterns = readFileSync(join(ROOT, ".gitignore"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("!"))
  .map((line) => {
    const pattern = line.replace(/^\//, "").replace(/\/$/, "");
    const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    return { anchored: pattern.includes("/"), regex };
  });

const isIgnored = (repoPath: string) => {
  const segments = repoPath.split("/").filter((s) => s !== "");
  return ignoredPatterns.some(({ anchored, regex }) =>
    anchored
      ? segments.some((_, i) => regex.test(segments.slice(0, i + 1).join("/")))
      : segments.some((segment) => regex.test(segment)),
  );
};

function documentationFiles(): string[] {
  const files = ["README.md"];
  for (const name of readdirSync(join(ROOT, "docs")).sort()) {
    if (name.endsWith(".md")) files.push(`docs/${name}`);
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.includes(entry.name) && !SKIPPED_PATHS.includes(path) && !isIgnored(path))
          walk(path);
      } else if (entry.name === "README.md") {
        files.push(path);
      }
    }
  };
  for (const tree of README_TREES) walk(tree);
  return files;
}

/** A segment with a placeholder or a glob: `*`, `<flow>`, `{id}`, `[id]`, `…` or `...`. */
const PLACEHOLDER = /[*<>{}[\]…]|\.\.\./;

/**
 * What a path-like code span (or a tree line's first token) refers to, from the repository root, or
 * undefined when it is not a repository path. Returns the path to check and whether it must be a folder.
 */
function pathOfCodeSpan(span: string): { path: string; folder: boolean } | undefined {
  // Only the first word: `src/x.ts (name)` or `src/x.ts — text` names src/x.ts.
  let path = span.trim().split(/\s/)[0] ?? "";
  // A symbol after the file, `src/x.ts#name`, is not part of the path.
  path = path.replace(/#.*$/, "");
  // A line or a line range, `src/x.ts:12` or `src/x.ts:12-30`, is not part of the path.
  path = path.replace(/:\d+(-\d+)?$/, "");
  if (path.startsWith("./")) path = path.slice(2);
  const isPath = PATH_PREFIXES.some((prefix) => path.startsWith(prefix)) || ROOT_FILES.includes(path);
  if (!isPath) return undefined;
  // A glob or placeholder (`src/flows/<flow>/flow.ts`, `test/**/*.test.ts`, `src/routes/…`): only the
  // folder before the first such segment is checked.
  const segments = path.split("/");
  const open = segments.findIndex((segment) => PLACEHOLDER.test(segment));
  if (open >= 0) return { path: segments.slice(0, open).join("/"), folder: true };
  // A trailing `/` names a folder.
  if (path.endsWith("/")) return { path: path.replace(/\/+$/, ""), folder: true };
  return { path, folder: false };
}

/** A source or doc file's name (`email.ts`, `templates/welcome.tsx`), or a relative folder (`builders/`). */
const LOCAL_NAME = /^[\w.-]+(\/[\w.-]+)*(\.(ts|tsx|js|mjs|cjs|md|json|toml|sql|ya?ml)|\/)$/;

/**
 * A README below the root describes its own folder, so there a code span that is a bare file name or a
 * relative folder (`email.ts`, `reports/builders/`) names a file beside the README, with the same
 * suffix rules (`:line`, `#symbol`, ` (symbol)`) as a path from the root.
 */
function pathBesideReadme(span: string, readme: string): { path: string; folder: boolean } | undefined {
  const name = (span.trim().split(/\s/)[0] ?? "").replace(/#.*$/, "").replace(/:\d+(-\d+)?$/, "");
  if (!LOCAL_NAME.test(name) || name.startsWith(".")) return undefined;
  return { path: `${dirname(readme)}/${name.replace(/\/+$/, "")}`, folder: name.endsWith("/") };
}

/**
 * A Markdown link's target as a path from the repository root, or undefined when it is not a file of the
 * repository: a URL with a scheme (`http:`, `https:`, `mailto:`, …) or a bare `#anchor`. A relative
 * target is resolved against the Markdown file's own folder, a `/target` against the root; `#anchor` and
 * `?query` are stripped.
 */
function pathOfLinkTarget(target: string, mdFile: string): { path: string; folder: boolean } | undefined {
  let t = target.trim().replace(/^<(.*)>$/, "$1");
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith("#") || t === "") return undefined;
  t = t.replace(/[#?].*$/, "");
  try {
    t = decodeURIComponent(t);
  } catch {
    // Not percent-encoded: checked as written.
  }
  const absolute = t.startsWith("/") ? join(ROOT, t) : join(ROOT, dirname(mdFile), t);
  return { path: toPosix(relative(ROOT, absolute)) || ".", folder: t.endsWith("/") };
}

type Reference = { file: string; line: number; text: string; path: string; folder: boolean };

// A fence may be indented (inside a list item); its info string is the first word after the marker.
const FENCE = /^\s*(`{3,}|~{3,})\s*([^`\s]*)/;

/**
 * Fenced blocks (``` … ```) are code, so only two kinds are read, and only line by line. In a block
 * whose info string is empty or `text` (trees, diagrams), a line whose first token is a repository path
 * (code-span rules) is checked, and so is a tree's entry under it: a name, ending in `/` or with an
 * extension, indented 1–4 columns deeper than a folder line above is that folder's child
 * (`src/` then `  domain/` names src/domain/). Deeper lines are a description's continuation; box
 * drawing (├── │ └──) counts as indentation. Blocks in any other language are skipped.
 */
function fencedReferences(file: string, lines: { text: string; line: number }[]): Reference[] {
  const refs: Reference[] = [];
  const parents: { indent: number; path: string }[] = [];
  for (const { text, line } of lines) {
    const drawn = text.replace(/[│├└─┬┴┼]/g, " ");
    const token = drawn.trim().split(/\s/)[0] ?? "";
    if (token === "") continue;
    const indent = drawn.length - drawn.trimStart().length;
    while (parents.length > 0 && parents[parents.length - 1]!.indent >= indent) parents.pop();
    const parent = parents[parents.length - 1];
    let found = pathOfCodeSpan(token);
    let written = token;
    if (parent && indent <= parent.indent + 4 && /^[\w.<>{}*…/-]+(\/|\.[a-z]+)$/.test(token)) {
      written = `${parent.path}${token}`;
      found = pathOfCodeSpan(written);
    } else if (parent && !found) {
      continue; // a description running on under a tree entry
    }
    if (!found) {
      parents.length = 0;
      continue;
    }
    refs.push({ file, line, text: written, ...found });
    if (written.endsWith("/")) parents.push({ indent, path: written });
  }
  return refs;
}

/** Every reference to a repository path in one Markdown file. */
function referencesIn(file: string): Reference[] {
  const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
  const refs: Reference[] = [];

  // Fenced blocks are taken out (blank lines, so offsets keep their line numbers) and read on their own.
  const prose: string[] = [];
  let fence: { marker: string; checked: boolean; lines: { text: string; line: number }[] } | undefined;
  lines.forEach((text, i) => {
    const match = FENCE.exec(text);
    if (fence) {
      if (match && match[1]!.startsWith(fence.marker) && match[2] === "" && text.trim() === match[1]) {
        if (fence.checked) refs.push(...fencedReferences(file, fence.lines));
        fence = undefined;
      } else {
        fence.lines.push({ text, line: i + 1 });
      }
      prose.push("");
    } else if (match) {
      fence = { marker: match[1]!, checked: match[2] === "" || match[2] === "text", lines: [] };
      prose.push("");
    } else {
      prose.push(text);
    }
  });
  const text = prose.join("\n");
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;

  // Code spans: a run of n backticks up to the next run of exactly n, within one paragraph (a span may
  // wrap onto the next line, never across a blank one). What is left is prose, where links are read.
  let outside = "";
  let at = 0;
  const run = /`+/g;
  for (let m = run.exec(text); m; m = run.exec(text)) {
    const ticks = m[0];
    const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, "g");
    close.lastIndex = m.index + ticks.length;
    const end = close.exec(text);
    const content = end ? text.slice(m.index + ticks.length, end.index) : undefined;
    if (!end || content === undefined || /\n\s*\n/.test(content)) continue;
    const span = content.replace(/\n/g, " ");
    const found =
      pathOfCodeSpan(span) ?? (file.endsWith("/README.md") ? pathBesideReadme(span, file) : undefined);
    if (found) refs.push({ file, line: lineAt(m.index), text: content.trim(), ...found });
    const blank = " ".repeat(ticks.length);
    outside += text.slice(at, m.index) + blank + content.replace(/[^\n]/g, " ") + blank;
    at = end.index + ticks.length;
    run.lastIndex = at;
  }
  outside += text.slice(at);

  // Links and images, `[text](target)` and `![alt](target "title")`, and reference definitions
  // `[label]: target`.
  const link = /!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  const definition = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm;
  for (const pattern of [link, definition]) {
    for (const m of outside.matchAll(pattern)) {
      const found = pathOfLinkTarget(m[1]!, file);
      if (found) refs.push({ file, line: lineAt(m.index), text: m[1]!, ...found });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

const exists = ({ path, folder }: { path: string; folder: boolean }) => {
  const absolute = join(ROOT, path);
  return existsSync(absolute) && (!folder || statSync(absolute).isDirectory());
};

const docs = documentationFiles();
const references = docs.flatMap(referencesIn).filter((ref) => !isIgnored(ref.path));

describe("file references in the docs", () => {
  it("reads the project's Markdown", () => {
    expect(docs).toEqual(
      expect.arrayContaining(["README.md", "docs/ARCHITECTURE.md", "src/consumers/README.md"]),
    );
    // A parser that silently finds nothing would pass the check below.
    expect(references.length).toBeGreaterThan(100);
  });

  it("names only files and folders that exist", () => {
    const stale = references
      .filter((ref) => !exists(ref))
      .map(({ file, line, text, path, folder }) => {
        const shown = text === path || text === `${path}/` ? text : `${text} (${path}${folder ? "/" : ""})`;
        return `${file}:${line} → ${shown}`;
      });
    expect(stale, `${stale.length} reference(s) to a missing file or folder`).toEqual([]);
  });

  it("reads paths as the rules say", () => {
    const cases: [string, ReturnType<typeof pathOfCodeSpan>][] = [
      ["src/index.ts", { path: "src/index.ts", folder: false }],
      ["src/platform/", { path: "src/platform", folder: true }],
      ["src/app.ts:12", { path: "src/app.ts", folder: false }],
      ["src/app.ts:12-30", { path: "src/app.ts", folder: false }],
      ["src/app.ts#createApp", { path: "src/app.ts", folder: false }],
      ["src/app.ts (createApp)", { path: "src/app.ts", folder: false }],
      ["src/flows/<flow>/flow.ts", { path: "src/flows", folder: true }],
      ["test/**/*.test.ts", { path: "test", folder: true }],
      ["src/routes/{a,b}.ts", { path: "src/routes", folder: true }],
      ["src/routes/…", { path: "src/routes", folder: true }],
      ["wrangler.toml", { path: "wrangler.toml", folder: false }],
      ["npm start", undefined],
      ["index.ts", undefined],
      ["/docs", undefined],
    ];
    for (const [span, expected] of cases) expect(pathOfCodeSpan(span), span).toEqual(expected);
    expect(pathOfLinkTarget("docs/OPERATIONS.md#crash-test", "README.md")).toEqual({
      path: "docs/OPERATIONS.md",
      folder: false,
    });
    expect(pathOfLinkTarget("../README.md?plain=1", "docs/API.md")).toEqual({
      path: "README.md",
      folder: false,
    });
    expect(pathOfLinkTarget("#jobs", "docs/API.md")).toBeUndefined();
    expect(pathOfLinkTarget("https://example.com/x.md", "README.md")).toBeUndefined();
    expect(pathOfLinkTarget("mailto:ops@example.com", "README.md")).toBeUndefined();
  });
});
