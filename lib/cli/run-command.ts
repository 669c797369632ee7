import { UsageError } from '../model/usage-error';

/**
 * Run a command's `main` and exit with its code: a UsageError is one line on stderr and exit code
 * 2, anything else an internal error with its stack and exit code 1. Used by the commands that
 * need nothing more (compare, bench:messages).
 */
export function runCommand(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      if (error instanceof UsageError) {
        process.stderr.write(`ipc-lab: ${error.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`ipc-lab: internal error: ${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
