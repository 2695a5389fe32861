// Decode speed of llama.cpp (node-llama-cpp's prebuilt CPU binary) on the same GGUF, greedy.
import { getLlama, LlamaCompletion } from "node-llama-cpp";
const [modelPath, threads, nGen] = [process.argv[2], Number(process.argv[3] ?? 2), Number(process.argv[4] ?? 128)];
const llama = await getLlama({ gpu: false, build: "never" });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 2048, threads });
const seq = context.getSequence();
const prompt = model.tokenize("The history of medicine ".repeat(200)).slice(0, 512);
let t0 = performance.now();
let n = 0, first = 0;
for await (const tok of seq.evaluate(prompt, { temperature: 0 })) {
  if (n === 0) first = performance.now();
  if (++n >= nGen) break;
}
const end = performance.now();
console.log(JSON.stringify({ engine: "llama.cpp (node-llama-cpp " + "3.22.1" + ")", prompt_tokens: prompt.length, gen_tokens: n, prefill_tok_s: prompt.length / ((first - t0) / 1000), decode_tok_s: (n - 1) / ((end - first) / 1000) }));
process.exit(0);
