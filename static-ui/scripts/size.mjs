// Prints the gzipped size of every JavaScript file in dist and fails when the total exceeds the budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetBytes = 250 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;

function* jsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* jsFiles(path);
    else if (name.endsWith('.js') || name.endsWith('.mjs')) yield path;
  }
}

let files;
try {
  files = [...jsFiles(dist)];
} catch {
  console.error('dist/ not found: run `npm run build` first.');
  process.exit(1);
}

let total = 0;
for (const file of files.sort()) {
  const gz = gzipSync(readFileSync(file), { level: 9 }).length;
  total += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(8)} KB  ${relative(dist, file)}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  total JavaScript, gzipped (budget ${budgetBytes / 1024} KB)`);
if (total > budgetBytes) {
  console.error('Over budget.');
  process.exit(1);
}
