// `huiliu`: the command line of the platform (run by bin/huiliu.mjs). Turns
// every outcome into one of the documented exit codes (see EXIT) and every
// error into one line on stderr.
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, say, type Lang } from './api-client';
import { registerOps } from './ops';

/** zh when the locale is Chinese (LANG=zh_CN.UTF-8 …), else en. */
const defaultLang = (): Lang => ((process.env.LANG ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en');

function buildProgram(): Command {
  const program = new Command('huiliu')
    .description('Huiliu (汇流) command line')
    .addOption(new Option('--url <url>', 'address of the Huiliu server').env('HUILIU_URL').default('http://127.0.0.1:3000'))
    // No default and never echoed: help shows only the variable's name.
    .addOption(new Option('--token <token>', 'bearer token of an operator or admin').env('HUILIU_TOKEN'))
    .option('--json', 'machine output: exactly one JSON document on stdout')
    .addOption(new Option('--lang <lang>', 'language of messages and headings').choices(['zh', 'en']).default(defaultLang()))
    .configureHelp({ showGlobalOptions: true })
    // Commander would exit 1 on usage errors; we throw instead and exit 2 (settings set
    // here are copied to every subcommand made with .command()).
    .exitOverride();
  registerOps(program.command('ops'));
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    // Commander has already printed its message (or the help).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const lang = (program.opts().lang as Lang | undefined) ?? defaultLang();
    const prefix = say(lang, '错误：', 'error: ');
    if (err instanceof CliError) {
      process.stderr.write(`${prefix}${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`${prefix}${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.failed;
  }
}

const code = await main(process.argv);
// Exit explicitly: the Temporal runtime (replay-check --dir) and HTTP keep-alive would
// otherwise keep the process up; wait for stdout first so piped output is complete.
process.stdout.write('', () => process.exit(code));
