/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

const host = process.env.TAURI_DEV_HOST;

// https://v2.tauri.app/start/frontend/vite/
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  // Tauri expects a fixed port and wants to see Rust errors in the terminal.
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_"],
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: "ws", host, port: 1421 } : undefined,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["safari15", "chrome105", "es2021"],
    // Keep everything in files served from 'self' (strict CSP, no data: URIs for scripts).
    assetsInlineLimit: 0,
    // KaTeX (bundled locally for the CSP) makes the one chunk ~470 kB; the app loads from disk.
    chunkSizeWarningLimit: 1000,
    minify: !process.env.TAURI_ENV_DEBUG,
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
    // CI's 2 cores run these beside other work: a generous limit keeps a slow moment from failing
    // a test, and is still the guard of the markdown "no quadratic blow-up" test.
    testTimeout: 20_000,
  },
});
