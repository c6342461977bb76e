// Reads what `npm ci --loglevel=warn` printed and fails on any warning a developer would need to see.
//
// .npmrc sets loglevel=error so that `npm install` on a system Node 20 is quiet: the only warnings it
// prints there are EBADENGINE for packages that never run on the system Node (they run from npm scripts,
// on the project's Node 22). This check keeps that setting honest: CI installs with the warnings on, and
// every warning must be an engine warning that the Node running this script (the project's) satisfies.
// Anything else (a deprecation, a peer conflict, an engine the project's Node does not meet) fails CI.
//
// Usage: npm run check:install-log -- <file with npm's output>
import { readFileSync } from "node:fs";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: check-install-log <npm output file>");
  process.exit(2);
}

/** `>=22`, `>=22.12`, `>=22.12.0`, `^22` or `^22||^24||>=26`: the forms the installed packages use. */
function satisfies(version, range) {
  const [major, minor, patch] = version.replace(/^v/, "").split(".").map(Number);
  const at = (v) => [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0];
  const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const current = [major, minor, patch];
  return range.split("||").some((alternative) => {
    const m = /^\s*(>=|\^)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(alternative);
    if (!m) return false; // an unknown form is reported, never assumed to pass
    const wanted = at([m[2], m[3], m[4]].filter((x) => x !== undefined).map(Number));
    if (m[1] === ">=") return cmp(current, wanted) >= 0;
    return current[0] === wanted[0] && cmp(current, wanted) >= 0;
  });
}

const lines = readFileSync(file, "utf8").split("\n");
const problems = [];
let engineWarnings = 0;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  if (!line.startsWith("npm warn")) continue;
  if (line.startsWith("npm warn EBADENGINE Unsupported engine {")) {
    // The block npm prints: package, required, current, then "}".
    const block = [];
    while (i + 1 < lines.length && !lines[i + 1].startsWith("npm warn EBADENGINE }")) block.push(lines[++i]);
    i++;
    const pkg = /package: '([^']+)'/.exec(block.join("\n"))?.[1] ?? "?";
    const required = /required: \{ node: '([^']+)'/.exec(block.join("\n"))?.[1];
    engineWarnings++;
    if (required === undefined || !satisfies(process.version, required)) {
      problems.push(
        `${pkg} needs Node ${required ?? "(see npm output)"}; the project's Node is ${process.version}`,
      );
    }
    continue;
  }
  problems.push(line);
}

if (problems.length > 0) {
  console.error(`npm install printed warnings that loglevel=error would hide:\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(
  `npm install: ${engineWarnings} engine warning(s), all met by the project's Node ${process.version}; nothing else`,
);
