// llama.cpp (node-llama-cpp's prebuilt CPU binary) on a GGUF, greedy, CPU only: the peer that
// scripts/bench-cpu.sh runs beside `anamnesis-cli bench`.
//   node bench.mjs --model M [--threads 2] [--prompt 512] [--gen 128] [--json]
//   node bench.mjs --model M --say "Hello" [--gen 32]   (ChatML prompt; prints the greedy answer)
// Prefill: prompt tokens / (time from submitting the prompt to the first generated token).
// Decode: (gen - 1) / (time from the first to the last generated token); end-of-generation
// tokens do not stop it, so exactly --gen tokens come. Peak RSS: VmHWM of this node process
// (the V8 runtime, ~50 MB, is included: nothing is subtracted).
import { getLlama } from "node-llama-cpp";
import { readFileSync } from "node:fs";

const VERSION = "3.22.1";
const args = { threads: 2, prompt: 512, gen: 128, json: false, model: null, say: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--json") args.json = true;
  else if (["--model", "--say"].includes(a)) args[a.slice(2)] = argv[++i];
  else if (["--threads", "--prompt", "--gen"].includes(a)) args[a.slice(2)] = Number(argv[++i]);
  else if (!a.startsWith("--") && !args.model) args.model = a;
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
if (!args.model) { console.error("usage: bench.mjs --model FILE.gguf [--threads N] [--prompt N] [--gen N] [--json] [--say TEXT]"); process.exit(2); }

const peakRssMb = () => {
  const m = readFileSync("/proc/self/status", "utf8").match(/^VmHWM:\s+(\d+)\s+kB/m);
  return m ? Number(m[1]) / 1024 : 0;
};

const t0 = performance.now();
const llama = await getLlama({ gpu: false, build: "never" });
const model = await llama.loadModel({ modelPath: args.model, gpuLayers: 0 });
const context = await model.createContext({
  contextSize: Math.max(2048, args.prompt + args.gen + 64),
  batchSize: Math.max(512, args.prompt),
  threads: args.threads,
});
const loadS = (performance.now() - t0) / 1000;
const seq = context.getSequence();

if (args.say !== null) {
  const text = `<|im_start|>user\n${args.say}<|im_end|>\n<|im_start|>assistant\n`;
  const prompt = model.tokenize(text, true);
  const out = [];
  for await (const tok of seq.evaluate(prompt, { temperature: 0 })) {
    if (model.isEogToken(tok)) break;
    out.push(tok);
    if (out.length >= args.gen) break;
  }
  console.log(JSON.stringify({ prompt_tokens: prompt.length, tokens: out, text: model.detokenize(out, true) }));
  process.exit(0);
}

// A plain-text prompt of exactly --prompt tokens.
let words = "The history of medicine ";
let prompt = model.tokenize(words);
while (prompt.length < args.prompt) { words += words; prompt = model.tokenize(words); }
prompt = prompt.slice(0, args.prompt);

const start = performance.now();
let n = 0, first = 0;
for await (const _tok of seq.evaluate(prompt, { temperature: 0 })) {
  if (n === 0) first = performance.now();
  if (++n >= args.gen) break;
}
const end = performance.now();
const r = {
  engine: `llama.cpp (node-llama-cpp ${VERSION})`,
  threads: args.threads,
  load_s: loadS,
  ttft_ms: first - start,
  prefill_tok_s: prompt.length / ((first - start) / 1000),
  decode_tok_s: n > 1 ? (n - 1) / ((end - first) / 1000) : 0,
  peak_rss_mb: peakRssMb(),
  prompt_tokens: prompt.length,
  gen_tokens: n,
};
if (args.json) console.log(JSON.stringify(r));
else for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(14)} ${typeof v === "number" ? +v.toFixed(2) : v}`);
process.exit(0);
