// Load generator run as a process of its own (plain Node, no TypeScript), so that the API's figures
// are not the bench process's CPU shared with its own HTTP client: an agency's system calls the API
// from elsewhere. argv[2] is JSON {url, token, n, c}: `n` GETs of `url` with `c` in flight, each
// answer read and parsed as a client would; prints one JSON line {lat: ms[], wallMs, failed}.
import { performance } from 'node:perf_hooks';
/* global fetch -- Node's own (undici), as a client of the API would use */

const { url, token, n, c } = JSON.parse(process.argv[2]);
const headers = { authorization: `Bearer ${token}` };
const lat = [];
let next = 0;
let failed = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: Math.min(c, n) }, async () => {
    while (next < n) {
      next++;
      const t = performance.now();
      const res = await fetch(url, { headers });
      await res.json();
      if (res.status !== 200) failed++;
      lat.push(performance.now() - t);
    }
  }),
);
console.log(JSON.stringify({ lat, wallMs: performance.now() - t0, failed }));
