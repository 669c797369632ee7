import { PathError } from '../model/path-errors';
import { UsageError } from '../model/usage-error';

/**
 * Run a command's `main` and exit with its code: a UsageError is one line on stderr and exit code
 * 2, a PathError (results that cannot be saved mid-run: a full disk) one line and exit code 1,
 * anything else an internal error with its stack and exit code 1. `name` starts each line.
 */
export function runCommand(main: (argv: string[]) => Promise<number>, name = 'ipc-lab'): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      // On a terminal a progress bar may be mid-line: the message gets a line of its own.
      const clear = process.stderr.isTTY ? '\r\x1b[K' : '';
      if (error instanceof UsageError || error instanceof PathError) {
        process.stderr.write(`${clear}${name}: ${error.message}\n`);
        process.exit(error instanceof UsageError ? 2 : 1);
      }
      process.stderr.write(`${clear}${name}: internal error: ${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
