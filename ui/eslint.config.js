// ESLint flat config: @eslint/js + typescript-eslint (type-aware) + eslint-plugin-svelte.
//   npm --prefix ui run lint
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import svelteConfig from "./svelte.config.js";

export default defineConfig(
  {
    // dist: build output; src/lib/bindings: generated from the Rust types (ts-rs).
    ignores: ["dist/", "node_modules/", "src/lib/bindings/"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      // `const { type: _t, ...rest } = ev` is how a key is dropped from a copy (chat.ts).
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      // IPC failures are thrown as the backend's own ErrorPayload ({code, message}, as Tauri's
      // invoke rejects with it), which the UI shows by code; not wrapped in Error objects.
      "@typescript-eslint/only-throw-error": [
        "error",
        { allow: [{ from: "file", name: "ErrorPayload", path: "src/lib/bindings/ErrorPayload.ts" }] },
      ],
    },
  },
  {
    // TypeScript inside <script lang="ts"> of components.
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: [".svelte"],
        svelteConfig,
      },
    },
    rules: {
      // typescript-eslint cannot see the types of imported components (svelte-check, which
      // does, checks them): their props' callbacks and module-script types come out as `any`.
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-redundant-type-constituents": "off",
    },
  },
  {
    // The app (and its jsdom unit tests) runs in the webview.
    files: ["src/**/*.{ts,svelte}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Unit tests and the Vite config also see Node.
    files: ["src/**/*.test.ts", "src/test/**/*.ts", "vite.config.ts"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["src/**/*.test.ts", "src/test/**/*.ts"],
    rules: {
      // The IPC mocks stand in for Tauri's invoke(cmd, args): its args are untyped (`any`) there.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // ...and fail the way the backend does: with a plain {code, message} payload (or a string).
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
    },
  },
  {
    // Plain JS (the Svelte config, the browser-test harness) is outside tsconfig: no type info.
    files: ["**/*.{js,mjs}"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Browser tests run under Node; the functions they hand to page.evaluate (and the fake
    // Tauri backend, which is serialized into the page) run in the browser.
    files: ["e2e-browser/**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ["*.config.{js,ts}"],
    languageOptions: { globals: { ...globals.node } },
  },
);
