import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Downstream } from './downstream.ts';

/** SCHED_IDLE in sched.h. */
const SCHED_IDLE = 5;

/** The scheduling policy of `pid` (field 41 of /proc/<pid>/stat). */
function policyOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
}

describe('Downstream', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('nice: runs the processes under SCHED_IDLE at niceness 19', () => {
    const child = spawn('sleep', ['30']);
    children.push(child);
    const pid = child.pid ?? Number.NaN;
    const notes: string[] = [];
    new Downstream([pid], 'nice', (line) => notes.push(line));
    expect(notes).toEqual([]);
    expect(policyOf(pid)).toBe(SCHED_IDLE);
    expect(getPriority(pid)).toBe(19);
  });

  it('even: leaves them as started', () => {
    const child = spawn('sleep', ['30']);
    children.push(child);
    const pid = child.pid ?? Number.NaN;
    new Downstream([pid], 'even', () => undefined);
    expect(policyOf(pid)).toBe(policyOf(process.pid));
    expect(getPriority(pid)).toBe(getPriority());
  });
});
