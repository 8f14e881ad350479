// The demo and the web UI: time from `fabrik demo` to the first live value (cold and warm), browser CPU with 500 tags
// at 1 Hz, and record-to-DOM latency. The benchmark lives in bench/demo/.
export { default } from "./demo/benchmark.ts";
