// Shared test setup (jsdom).
import { configure } from "@testing-library/svelte";

// waitFor and findBy* give up after 1 s by default; on a loaded CI machine a render can take
// longer. A test that waits for something that never comes still fails, only later.
configure({ asyncUtilTimeout: 5_000 });
