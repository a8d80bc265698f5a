'use strict';
// LEAKLSP_TESTING_TRACE=1 prints where each assertion's time goes, one line
// per step on stderr (wall and this process's CPU time): whether a slow leak
// test pays for the calls, the heap walks, a snapshot or the analysis.
const { hrtime, cpuUsage, stderr, env } = process;

const enabled = () => Boolean(env.LEAKLSP_TESTING_TRACE);

/** Returns step(name, note) that prints the time since the previous step. */
function tracer(what) {
  if (!enabled()) return () => {};
  let wall = hrtime.bigint();
  let cpu = cpuUsage();
  return (step, note) => {
    const used = cpuUsage(cpu);
    const now = hrtime.bigint();
    const ms = (n) => `${Math.round(n)} ms`;
    stderr.write(`leaklsp/testing: ${what} ${step}: ${ms(Number(now - wall) / 1e6)} wall, ${ms((used.user + used.system) / 1000)} cpu${note ? ` (${note})` : ''}\n`);
    wall = now;
    cpu = cpuUsage();
  };
}

module.exports = { tracer };
