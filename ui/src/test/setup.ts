// Shared test setup (jsdom). Nothing global yet beyond what jsdom provides.
export {};
