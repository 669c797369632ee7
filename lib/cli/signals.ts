/**
 * Ctrl-C (or SIGTERM) for the measuring commands: the first one lets the running plan stop its
 * step and save (lib/sweep/run-plan.ts listens while a plan runs); a second one exits at once.
 * Nothing is lost or left: what was measured is already on disk, and the runner's exit hook kills
 * every peer's process group and removes the temp dirs synchronously. A signal that comes while
 * no plan listens (during start-up, or after it ended) ends the process at once: there is
 * nothing to save yet.
 */
export function exitOnSecondSignal(): void {
  let signalsSeen = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    const planListens = process.listenerCount(signal) > 1;
    if (++signalsSeen < 2 && planListens) return;
    process.stderr.write(planListens ? `ipc-lab: ${signal} again: stopping now\n` : `ipc-lab: stopped by ${signal}\n`);
    // 128 + the signal's number, as a shell reports a process that a signal ended.
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
