// `huiliu ops <command>`: the operations API (server/ops/types.ts) for people
// on call and for scripts. Human output is tables in the chosen language;
// --json prints the API's answer as one JSON document instead.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import {
  OPS_ACTIONS, STUCK_REASONS, type ActionBodies, type ActionResult, type BulkJob, type BulkPlanItem, type ConversationOps,
  type OpsAction, type ReplayCheckResult, type StuckFilter, type StuckList,
} from '../ops/types';
import { CliError, EXIT, createClient, say, type ApiClient, type Lang } from './api-client';
import { age, clock, progressBar, table } from './format';

const EXIT_CODES_HELP = `
Exit codes:
  0  success (replay-check: every history is compatible; stuck: the listing worked, even when empty)
  1  the action ran but failed, a replay is incompatible, or a bulk run had failures
  2  usage error (bad arguments, also when the server rejects them)
  3  not found (404)
  4  not allowed (401/403: missing or wrong token, or not an operator/admin)
  5  server unreachable, too slow, or a server error (5xx)
With --json, stdout holds exactly one JSON document when the exit code is 0 or 1
and nothing otherwise; errors are one line on stderr.`;

interface Ctx {
  lang: Lang;
  json: boolean;
  api: ApiClient;
}

function context(cmd: Command): Ctx {
  const o = cmd.optsWithGlobals() as { url: string; token?: string; json?: boolean; lang: Lang };
  // The client is made lazily so `replay-check --dir` needs no valid --url.
  let api: ApiClient | undefined;
  return {
    lang: o.lang, json: !!o.json,
    get api() {
      return (api ??= createClient({ url: o.url, token: o.token, lang: o.lang }));
    },
  };
}

const out = (text: string): void => void process.stdout.write(`${text}\n`);
const printJson = (value: unknown): void => out(JSON.stringify(value, null, 2));
const termWidth = () => (process.stdout.isTTY ? process.stdout.columns : undefined);
const seg = encodeURIComponent;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

// --- stuck and the filters bulk shares ----------------------------------------------------

interface FilterOpts { inbox?: string; channel?: string; flow?: string; flowVersion?: number; minAge?: number; limit?: number }

/** The stuck filter options; `reasonFlag` differs because bulk's --reason is the audit reason. */
function addFilterOptions(cmd: Command, reasonFlag: string): Command {
  return cmd
    .option('--inbox <inbox>', 'only this inbox')
    .option('--channel <channel>', 'only this channel (webchat, wechat, wecom, …)')
    .option('--flow <flowId>', 'only conversations running this flow')
    .option('--flow-version <n>', 'only this version of the flow', positiveInt)
    .addOption(new Option(`${reasonFlag} <reason>`, 'only this stuck reason').choices(STUCK_REASONS))
    .option('--min-age <minutes>', 'only stuck for at least this many minutes', positiveInt)
    .option('--limit <n>', 'at most this many (default 200, at most 1000)', positiveInt);
}

function toFilter(o: FilterOpts, reason: StuckFilter['reason']): StuckFilter {
  return {
    inbox: o.inbox, channel: o.channel, flowId: o.flow, flowVersion: o.flowVersion,
    reason, minAgeMinutes: o.minAge, limit: o.limit,
  };
}

function filterQuery(filter: StuckFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function printStuck(list: StuckList, lang: Lang) {
  if (list.items.length === 0) out(say(lang, '没有卡住的会话。', 'No stuck conversations.'));
  else {
    out(table(list.items, [
      { header: say(lang, '工作流 ID', 'WORKFLOW ID'), value: (c) => c.workflowId, max: 48, keep: true },
      { header: say(lang, '原因', 'REASON'), value: (c) => c.reason },
      { header: say(lang, '已持续', 'SINCE'), value: (c) => age(c.since) },
      { header: say(lang, '步骤', 'STEP'), value: (c) => c.step, max: 24 },
      { header: say(lang, '入口/渠道', 'INBOX/CHANNEL'), value: (c) => [c.inboxId ?? '-', c.channel ?? '-'].join('/'), max: 28 },
      { header: say(lang, '最近错误', 'LAST ERROR'), value: (c) => c.lastError, max: 80 },
    ], termWidth()));
  }
  const counts = STUCK_REASONS.map((r) => `${r} ${list.counts?.[r] ?? 0}`).join(' · ');
  out(say(lang, `\n按原因：${counts}（共 ${list.total}，显示 ${list.items.length}）`, `\nBy reason: ${counts} (total ${list.total}, showing ${list.items.length})`));
}

// --- show and export ------------------------------------------------------------------------

function printConversation(c: ConversationOps, lang: Lang) {
  out(`${c.workflowId}  (run ${c.runId})`);
  const facts = [c.executionStatus, c.status, c.step && say(lang, `步骤 ${c.step}`, `step ${c.step}`),
    (c.inboxId || c.channel) && `${c.inboxId ?? '-'}/${c.channel ?? '-'}`, c.flowId && `${c.flowId}@${c.flowVersion ?? '?'}`];
  out(facts.filter(Boolean).join(' · '));
  if (c.stuck) {
    const s = c.stuck;
    out(say(lang, `卡住：${s.reasons.join(', ')}，已 ${age(s.since)}`, `Stuck: ${s.reasons.join(', ')} for ${age(s.since)}`) +
      (s.attempts ? say(lang, `，已尝试 ${s.attempts} 次`, `, ${s.attempts} attempts`) : '') + (s.lastError ? ` — ${s.lastError}` : ''));
  }
  out('');
  out(table(c.timeline, [
    { header: say(lang, '时间', 'TIME'), value: (e) => clock(e.at) },
    { header: say(lang, '类型', 'KIND'), value: (e) => e.kind },
    { header: say(lang, '步骤', 'STEP'), value: (e) => e.step, max: 24 },
    { header: say(lang, '事件', 'TITLE'), value: (e) => e.title?.[lang], max: 32 },
    { header: say(lang, '详情', 'DETAIL'), value: (e) => e.detail, max: 48 },
    { header: say(lang, '尝试', 'ATTEMPT'), value: (e) => e.attempt },
    { header: say(lang, '错误', 'ERROR'), value: (e) => e.error, max: 48 },
    { header: say(lang, '重置点', 'RESET TO'), value: (e) => e.resetEventId },
  ], termWidth()));
  if (c.temporalUiUrl) out(`\nTemporal UI: ${c.temporalUiUrl}`);
}

function historyEvents(history: unknown): number | undefined {
  const events = (history as { events?: unknown })?.events;
  return Array.isArray(events) ? events.length : undefined;
}

// --- actions ---------------------------------------------------------------------------------

async function runAction<A extends OpsAction>(ctx: Ctx, workflowId: string, action: A, body: ActionBodies[A]) {
  const result = await ctx.api.post<ActionResult>(`conversations/${seg(workflowId)}/${action}`, body);
  const failed = !result.ok || result.replay?.compatible === false;
  if (ctx.json) printJson(result);
  else {
    out(result.summary);
    if (result.runId) out(say(ctx.lang, `新的运行：${result.runId}`, `New run: ${result.runId}`));
    if (result.replay?.divergence) out(divergence(result.replay, ctx.lang));
  }
  if (failed) process.exitCode = EXIT.failed;
}

function divergence(r: ReplayCheckResult, l: Lang): string {
  const d = r.divergence;
  const where = d?.eventId !== undefined ? say(l, `事件 ${d.eventId}：`, `event ${d.eventId}: `) : '';
  return `${where}${d?.message ?? say(l, '不兼容', 'incompatible')}`;
}

/** Exactly one destination for reroute: the API needs to know which kind it is. */
function rerouteBody(o: { queue?: string; agent?: string; step?: string; reason: string }, l: Lang): ActionBodies['reroute'] {
  const given = [o.queue, o.agent, o.step].filter((v) => v !== undefined).length;
  if (given !== 1) throw new CliError(EXIT.usage, say(l, 'reroute 需要且只需要 --queue、--agent、--step 之一', 'reroute needs exactly one of --queue, --agent or --step'));
  return { reason: o.reason, queue: o.queue, agentId: o.agent, nodeId: o.step };
}

// --- replay-check over a folder (no server) ----------------------------------------------------

async function replayFolder(ctx: Ctx, dir: string) {
  const folder = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch { /* reported below */ }
  if (!isDir) throw new CliError(EXIT.usage, say(ctx.lang, `不是文件夹：${dir}`, `not a folder: ${dir}`));
  if (!readdirSync(folder).some((f) => f.endsWith('.json'))) {
    // An empty folder in CI is a wrong path, not a pass.
    throw new CliError(EXIT.usage, say(ctx.lang, `${dir} 中没有 .json 历史`, `no .json histories in ${dir}`));
  }
  if (!ctx.json) process.stderr.write(say(ctx.lang, '正在打包工作流代码…\n', 'Bundling the workflow code…\n'));
  // Imported here: the worker and webpack are heavy and no other command needs them.
  const [{ bundleWorkflows }, { replayCheckFolder }, { DefaultLogger, Runtime }] =
    await Promise.all([import('../worker'), import('../ops/replay-check'), import('@temporalio/worker')]);
  // The replay worker logs each state change at INFO; the output here is the verdicts.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const results = await replayCheckFolder(await bundleWorkflows(), folder);
  const incompatible = results.filter((r) => !r.compatible);
  if (ctx.json) printJson({ dir: folder, total: results.length, incompatible: incompatible.length, results });
  else {
    for (const r of results) out(r.compatible ? `✓ ${r.workflowId}` : `✗ ${r.workflowId}  ${divergence(r, ctx.lang)}`);
    out(say(ctx.lang, `\n${results.length - incompatible.length} 个兼容，${incompatible.length} 个不兼容`,
      `\n${results.length - incompatible.length} compatible, ${incompatible.length} incompatible`));
  }
  if (incompatible.length > 0) process.exitCode = EXIT.failed;
}

// --- bulk ------------------------------------------------------------------------------------

/** Polls the job every 250 ms; progress goes to stderr so stdout stays the result. */
async function followJob(ctx: Ctx, jobId: string): Promise<BulkJob> {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  for (;;) {
    const job = await ctx.api.get<BulkJob>(`bulk/${seg(jobId)}`);
    if (tty) process.stderr.write(`\r${progressBar(job.done, job.total)}`);
    else if (Date.now() - lastLine >= 1000 || job.status === 'done') {
      // Logs (CI) get a plain line, and at most one a second.
      process.stderr.write(`${job.done}/${job.total}\n`);
      lastLine = Date.now();
    }
    if (job.status === 'done') {
      if (tty) process.stderr.write('\n');
      return job;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function printJob(job: BulkJob, l: Lang) {
  out(say(l, `成功 ${job.succeeded}，失败 ${job.failed}（共 ${job.total}）`, `Succeeded ${job.succeeded}, failed ${job.failed} (of ${job.total})`));
  const failures = job.results.filter((r) => !r.ok);
  if (failures.length) {
    out('');
    out(table(failures, [
      { header: say(l, '工作流 ID', 'WORKFLOW ID'), value: (r) => r.workflowId, max: 48, keep: true },
      { header: say(l, '结果', 'RESULT'), value: (r) => r.summary, max: 100 },
    ], termWidth()));
  }
}

interface BulkOpts extends FilterOpts {
  reason: string; stuckReason?: StuckFilter['reason']; dryRun?: boolean;
  queue?: string; agent?: string; step?: string; message?: string; to?: string;
}

async function runBulk(ctx: Ctx, action: OpsAction, o: BulkOpts) {
  const params = Object.fromEntries(Object.entries({ queue: o.queue, agentId: o.agent, nodeId: o.step, message: o.message, to: o.to })
    .filter(([, v]) => v !== undefined));
  const request = {
    action, filter: toFilter(o, o.stuckReason), reason: o.reason, dryRun: !!o.dryRun,
    ...(Object.keys(params).length ? { params } : {}),
  };
  // A dry run answers { dryRun, plan, total }; a real one 202 { jobId, … } (server/ops/bulk.ts).
  const answer = await ctx.api.post<{ plan?: BulkPlanItem[]; jobId?: string }>('bulk', request);
  if (o.dryRun) {
    const plan = answer.plan ?? [];
    if (ctx.json) return printJson(answer);
    out(plan.length ? table(plan, [
      { header: say(ctx.lang, '工作流 ID', 'WORKFLOW ID'), value: (p) => p.workflowId, max: 48, keep: true },
      { header: say(ctx.lang, '原因', 'REASON'), value: (p) => p.reason },
      { header: say(ctx.lang, '计划', 'PLAN'), value: (p) => p.plan, max: 100 },
    ], termWidth()) : say(ctx.lang, '没有符合条件的会话。', 'No conversation matches.'));
    out(say(ctx.lang, `\n试运行：将对 ${plan.length} 个会话执行 ${action}，未做任何改动。`, `\nDry run: ${action} would apply to ${plan.length} conversations; nothing was changed.`));
    return;
  }
  const { jobId } = answer;
  if (!jobId) throw new CliError(EXIT.unavailable, say(ctx.lang, '服务没有返回任务 ID', 'the server answered without a job id'));
  if (!ctx.json) process.stderr.write(say(ctx.lang, `批量任务 ${jobId} 已开始\n`, `Bulk job ${jobId} started\n`));
  const job = await followJob(ctx, jobId);
  if (ctx.json) printJson(job);
  else printJob(job, ctx.lang);
  if (job.failed > 0) process.exitCode = EXIT.failed;
}

// --- the commands ----------------------------------------------------------------------------

export function registerOps(ops: Command): Command {
  ops.description('operate running conversations: find stuck ones, inspect, retry, reset, reroute, terminate, replay-check')
    .addHelpText('after', EXIT_CODES_HELP);
  const reason = (cmd: Command) => cmd.requiredOption('--reason <text>', 'why, recorded in the audit log (required)');

  addFilterOptions(ops.command('stuck').description('list stuck conversations, most urgent first, with counts by reason'), '--reason')
    .action(async (o: FilterOpts & { reason?: StuckFilter['reason'] }, cmd: Command) => {
      const ctx = context(cmd);
      const list = await ctx.api.get<StuckList>(`stuck${filterQuery(toFilter(o, o.reason))}`);
      if (ctx.json) printJson(list);
      else printStuck(list, ctx.lang);
    });

  ops.command('show').description("a conversation's timeline, stuck state and Temporal UI link")
    .argument('<workflowId>')
    .option('--raw', "print the run's raw history (Temporal JSON) instead")
    .action(async (workflowId: string, o: { raw?: boolean }, cmd: Command) => {
      const ctx = context(cmd);
      const c = await ctx.api.get<ConversationOps>(`conversations/${seg(workflowId)}`);
      if (o.raw) printJson(c.history);
      else if (ctx.json) printJson(c);
      else printConversation(c, ctx.lang);
    });

  ops.command('export').description("write a conversation's history (Temporal JSON) for replay-check --dir")
    .argument('<workflowId>')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (workflowId: string, o: { out?: string }, cmd: Command) => {
      const ctx = context(cmd);
      const c = await ctx.api.get<ConversationOps>(`conversations/${seg(workflowId)}`);
      if (!o.out) return printJson(c.history);
      writeFileSync(o.out, `${JSON.stringify(c.history, null, 2)}\n`);
      const events = historyEvents(c.history);
      if (ctx.json) printJson({ workflowId: c.workflowId, runId: c.runId, out: resolve(o.out), events });
      else out(say(ctx.lang, `已将 ${c.workflowId} 的 ${events ?? '?'} 个事件写入 ${o.out}`, `Wrote ${events ?? '?'} events of ${c.workflowId} to ${o.out}`));
    });

  reason(ops.command('retry').description('retry what is failing now').argument('<workflowId>'))
    .action((id: string, o: { reason: string }, cmd: Command) => runAction(context(cmd), id, 'retry', { reason: o.reason }));

  reason(ops.command('reset').description("run the conversation again from a timeline entry's reset point").argument('<workflowId>'))
    .requiredOption('--event <id>', "the entry's resetEventId (see `show`)", positiveInt)
    .action((id: string, o: { reason: string; event: number }, cmd: Command) =>
      runAction(context(cmd), id, 'reset', { reason: o.reason, eventId: o.event }));

  reason(ops.command('reroute').description('send the conversation to a queue, an agent or a flow step').argument('<workflowId>'))
    .option('--queue <queue>', 'to this queue').option('--agent <agentId>', 'to this agent').option('--step <nodeId>', 'to this flow step')
    .action((id: string, o: { reason: string; queue?: string; agent?: string; step?: string }, cmd: Command) => {
      const ctx = context(cmd);
      return runAction(ctx, id, 'reroute', rerouteBody(o, ctx.lang));
    });

  reason(ops.command('terminate').description('end the conversation, telling the customer').argument('<workflowId>'))
    .option('--message <text>', 'what the customer is told (default: a bilingual notice)')
    .action((id: string, o: { reason: string; message?: string }, cmd: Command) =>
      runAction(context(cmd), id, 'terminate', { reason: o.reason, message: o.message }));

  ops.command('replay-check')
    .description('check that the deployed workflow code replays a conversation (on the server), or every history in --dir (locally, no server: for CI)')
    .argument('[workflowId]')
    .option('--dir <folder>', 'replay every *.json history in this folder against the workflow code here')
    .option('--reason <text>', 'why (required with <workflowId>; recorded in the audit log)')
    .action(async (id: string | undefined, o: { dir?: string; reason?: string }, cmd: Command) => {
      const ctx = context(cmd);
      if (o.dir !== undefined && id !== undefined) throw new CliError(EXIT.usage, say(ctx.lang, '请给出 <workflowId> 或 --dir，不能同时给出', 'give either <workflowId> or --dir, not both'));
      if (o.dir !== undefined) return replayFolder(ctx, o.dir);
      if (id === undefined) throw new CliError(EXIT.usage, say(ctx.lang, 'replay-check 需要 <workflowId> 或 --dir', 'replay-check needs <workflowId> or --dir'));
      if (!o.reason) throw new CliError(EXIT.usage, say(ctx.lang, "缺少必需的选项 '--reason <text>'", "required option '--reason <text>' not specified"));
      return runAction(ctx, id, 'replay-check', { reason: o.reason });
    });

  const bulk = reason(addFilterOptions(ops.command('bulk')
    .description('apply an action to every stuck conversation matching the filters (progress on stderr)')
    .addArgument(new Argument('<action>').choices(OPS_ACTIONS)), '--stuck-reason'))
    .option('--dry-run', 'only show what would be done')
    .option('--queue <queue>', 'reroute: to this queue').option('--agent <agentId>', 'reroute: to this agent')
    .option('--step <nodeId>', 'reroute: to this flow step').option('--message <text>', 'terminate: what customers are told')
    .option('--to <point>', 'reset: where to, e.g. last-good');
  bulk.action((action: OpsAction, o: BulkOpts, cmd: Command) => runBulk(context(cmd), action, o));

  return ops;
}
