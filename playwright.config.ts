// Playwright e2e against the BUILT site (run `npx vite build` first), served by scripts/serve.mjs under a
// sub-path (proves the relative base). System Chromium with WebGPU on SwiftShader; never downloads a browser.

import { defineConfig } from '@playwright/test';

// A port per run (set once here, inherited by the workers), so two runs on one machine never collide.
process.env.SEQSCOPE_E2E_PORT ??= String(4700 + (process.pid % 1000));
const PORT = Number(process.env.SEQSCOPE_E2E_PORT);
const BASE = '/seqscope/';
// The built site to serve (`vite build --outDir X`), so helpers building at once never share dist/.
const DIST = process.env.SEQSCOPE_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        '--use-webgpu-adapter=swiftshader',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node scripts/serve.mjs --port ${PORT} --base ${BASE} --dir ${DIST}`,
    url: `http://127.0.0.1:${PORT}${BASE}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
