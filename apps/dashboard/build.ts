// Bundles the dashboard (src/main.ts and the CSS it imports) with esbuild into dist/: one minified JS and one CSS file
// under dist/assets/, named by content hash, and dist/index.html that loads them. `npm run build:dashboard` (run by
// `npm install`'s postinstall) calls it; the API serves dist/ at / (apps/api/src/plugins/dashboard.ts).
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const DASHBOARD_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DEFAULT_OUT_DIR = join(DASHBOARD_DIR, 'dist');

export interface DashboardBuild {
  outDir: string;
  /** Paths under outDir of the bundle (`assets/app-<hash>.js`, `assets/app-<hash>.css`). */
  js: string;
  css: string;
  /** Bytes of each file, minified and uncompressed. */
  bytes: { js: number; css: number; html: number };
}

export async function buildDashboard(outDir = DEFAULT_OUT_DIR): Promise<DashboardBuild> {
  const assets = join(outDir, 'assets');
  await mkdir(assets, { recursive: true });
  const result = await build({
    absWorkingDir: DASHBOARD_DIR,
    entryPoints: { app: 'src/main.ts' },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: assets,
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`esbuild wrote ${outputs.join(', ')}: expected one .js and one .css`);
  // Bundles of earlier builds go; the new index.html replaces the old one in one rename.
  for (const f of await readdir(assets)) if (!outputs.includes(f)) await rm(join(assets, f), { force: true });
  const html = indexHtml(`/assets/${js}`, `/assets/${css}`);
  const tmp = join(outDir, `.index.html.${process.pid}`);
  await writeFile(tmp, html);
  await rename(tmp, join(outDir, 'index.html'));
  return {
    outDir,
    js: `assets/${js}`,
    css: `assets/${css}`,
    bytes: { js: (await stat(join(assets, js))).size, css: (await stat(join(assets, css))).size, html: Buffer.byteLength(html) },
  };
}

function indexHtml(js: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ablate</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${css}">
<script defer src="${js}"></script>
</head>
<body>
<noscript>The ablate dashboard needs JavaScript; the API itself is documented at <a href="/docs">/docs</a>.</noscript>
</body>
</html>
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildDashboard(process.argv[2] ?? DEFAULT_OUT_DIR);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  process.stdout.write(`dashboard built in ${out.outDir}: ${out.js} ${kb(out.bytes.js)}, ${out.css} ${kb(out.bytes.css)}\n`);
}
