// The worker yields the CPU to the API server and Temporal on a shared
// machine: a provider's webhook is answered by the server after a Temporal
// call, while a backlog the worker works through can wait. Under overload the
// worker, at the same priority, took the CPU the acknowledgements needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to `nice` (0 leaves it alone; raising it
 * again would need privileges). Call it before threads start: on Linux a nice
 * value is per thread, and threads inherit it from the thread that starts them.
 * Returns what was lowered, for the log.
 */
export function lowerCpuPriority(nice: number): { thread: boolean; session: boolean } {
  const done = { thread: false, session: false };
  if (nice <= 0) return done;
  try {
    setPriority(nice);
    done.thread = true;
  } catch {
    // Not permitted or not supported: running at normal priority is still correct.
  }
  // With Linux's autogroup scheduling, CPU time is first shared between
  // sessions, and a thread's nice value only counts within its own session.
  // The launcher starts the worker detached, in a session of its own: its
  // session's nice value is what weighs it against the server and Temporal.
  // A process that shares its session (started from a shell) leaves the
  // session's value alone, as it would slow its neighbours too.
  if (leadsOwnSession()) {
    try {
      writeFileSync('/proc/self/autogroup', String(nice));
      done.session = true;
    } catch {
      // No autogroup scheduling here (or not Linux): the thread's value is all there is.
    }
  }
  return done;
}

/** True when this process started its own session (Linux; false elsewhere). */
function leadsOwnSession(): boolean {
  try {
    // /proc/self/stat: "pid (comm) state ppid pgrp session …"; comm may hold spaces and parentheses.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[3]) === process.pid;
  } catch {
    return false;
  }
}
