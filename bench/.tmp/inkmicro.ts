import { render, Box, Text } from 'ink';
import { createElement as h, useState, useEffect } from 'react';
import { FakeTerminalIn, FakeTerminalOut } from '../../test/console/helpers.js';
const OVERFLOW = process.env.OVF ?? 'hidden';
const ROWS = 50, COLS = 160;
let bump: () => void = () => {};
function Screen() {
  const [n, setN] = useState(0);
  bump = () => setN((x) => x + 1);
  const lines = [];
  for (let i = 0; i < ROWS - 4; i++) {
    const text = `ip-10-0-${i}-${n % 100}.ec2.internal       Ready        node          nodes                    us-east-1a v1.31.4    30 <none>   5m   i-0000000000000${i}`.padEnd(COLS - 1);
    lines.push(h(Text, { key: i, wrap: 'truncate-end', inverse: i === 3 }, text));
  }
  const boxProps: any = OVERFLOW === 'none' ? {} : OVERFLOW === 'y' ? { overflowY: 'hidden' } : { overflow: 'hidden' };
  return h(Box, { flexDirection: 'column', width: COLS, height: ROWS, ...boxProps }, h(Box, { flexDirection: 'column', height: ROWS - 2, ...boxProps }, ...lines), h(Text, null, 'footer'));
}
const times: number[] = [];
const out = new FakeTerminalOut(COLS, ROWS);
render(h(Screen), { stdout: out as any, stdin: new FakeTerminalIn() as any, patchConsole: false, exitOnCtrlC: false, onRender: ({ renderTime }) => times.push(renderTime) });
await new Promise((r) => setTimeout(r, 500));
const c0 = process.cpuUsage(); const n0 = times.length;
for (let i = 0; i < 100; i++) { bump(); await new Promise((r) => setTimeout(r, 40)); }
const c = process.cpuUsage(c0); console.log('cpu per frame ms', ((c.user + c.system) / 1000 / (times.length - n0)).toFixed(2));
const s = times.slice(10).sort((a, b) => a - b);
console.log(`NODE_ENV=${process.env.NODE_ENV} overflow=${OVERFLOW} frames=${s.length} median ${s[s.length >> 1].toFixed(2)} p95 ${s[Math.floor(s.length * 0.95)].toFixed(2)}`);
process.exit(0);
