// Flows, the analysts' side: drafts that may be invalid, validation against the
// node types and the records that exist, immutable numbered versions, rollback,
// simulation, and which inbox runs which flow. No HTTP here; errors are
// AppErrors with the status the API answers.
import { randomUUID } from 'node:crypto';
import { definitions } from '../../activities/registry';
import type { Integrations } from '../../activities/plugins/types';
import { simulateFlow } from '../../activities/simulate';
import type { SimulationInput, SimulationResult } from '../../rules/simulation';
import { isDuplicateKey, type Models } from '../../activities/store';
import { defaultFlow } from '../../rules/default-flow';
import { diffFlows, type FlowDiff } from '../../rules/diff-flows';
import type { FlowDefinition } from '../../rules/flow';
import { validateFlow, type FlowIssue, type FlowValidation } from '../../rules/validate-flow';
import type { Principal } from '../auth';
import { AppError } from '../errors';

export type Actor = Pick<Principal, 'id'>;
/** A published version number, or the draft. */
export type VersionRef = number | 'draft';

export interface ValidationResult {
  ok: boolean;
  issues: FlowIssue[];
}

// Inserts store flow documents as given: a hydrated mongoose document would
// "minimize" away the empty `parameters: {}` objects a flow needs (updates
// with $set do not). Every field is set explicitly, so nothing needs casting.
const AS_GIVEN = { lean: true } as const;
/** Each round is lost only to another writer's newer claim, so a few rounds settle it. */
const RECONCILE_ATTEMPTS = 20;

/**
 * A saved draft revision, `<flowId>#<revision>`: the claim that makes a draft
 * save atomic (see reconcile). The flow document holds revision 1 (or the
 * revision it had before this collection existed) itself.
 */
interface DraftRevision {
  _id: string;
  flowId: string;
  revision: number;
  definition: unknown;
  savedBy: string;
  savedAt: Date;
}

const draftId = (flowId: string, revision: number) => `${flowId}#${revision}`;
const versionId = (flowId: string, version: number) => `${flowId}@${version}`;
const label = (ref: VersionRef) => (ref === 'draft' ? 'the draft' : `version ${ref}`);
// Flows from before drafts existed have no revision field: revision 0.
const revisionOf = (flow: { draftRevision?: number | null }) => flow.draftRevision ?? 0;

/** The highest n ≥ from for which `exists(n)`, probing upward by _id (the one lookup FerretDB v1 indexes). */
async function newest(from: number, exists: (n: number) => Promise<unknown>): Promise<number> {
  let n = from;
  while (await exists(n + 1)) n++;
  return n;
}

/** `integrations`: what simulated integration nodes may reach (the same as the workers'). */
export function flowService(models: Models, integrations?: Integrations) {
  const { Flow, FlowVersion, FlowDraftRevision, Inbox, Queue, Faq, Agent } = models;

  async function loadFlow(id: string) {
    const flow = await Flow.findById(id).lean();
    if (!flow) throw new AppError(404, `no flow "${id}"`, { flowId: id });
    return flow;
  }
  type FlowDoc = Awaited<ReturnType<typeof loadFlow>>;

  async function loadVersion(flowId: string, version: number) {
    const doc = await FlowVersion.findById(versionId(flowId, version)).lean();
    if (!doc) throw new AppError(404, `flow "${flowId}" has no version ${version}`, { flowId, version });
    return doc;
  }

  // Flows from before drafts existed have none: their draft starts as what is published.
  async function draftOf(flow: FlowDoc): Promise<unknown> {
    if (flow.draft !== undefined && flow.draft !== null) return flow.draft;
    return flow.publishedVersion > 0 ? (await loadVersion(flow._id, flow.publishedVersion)).definition : defaultFlow;
  }

  async function definitionAt(flow: FlowDoc, ref: VersionRef): Promise<unknown> {
    return ref === 'draft' ? draftOf(flow) : (await loadVersion(flow._id, ref)).definition;
  }

  /** Validates against the node types and the queues, inboxes and FAQ sets that exist now. */
  async function check(doc: unknown): Promise<FlowValidation> {
    const [queues, inboxes, faqSets] = await Promise.all([
      Queue.find().select('_id').lean(),
      Inbox.find().select('_id').lean(),
      Faq.distinct('faqSet'),
    ]);
    return validateFlow(doc, {
      definitions,
      known: { queues: queues.map((q) => q._id), inboxes: inboxes.map((i) => i._id), faqSets },
    });
  }

  const result = ({ ok, issues }: FlowValidation): ValidationResult => ({ ok, issues });

  /** The document migrated to the current schema, or 422 with every issue. */
  async function requireValid(doc: unknown, what: string): Promise<FlowDefinition> {
    const validation = await check(doc);
    if (validation.ok && validation.flow) return validation.flow;
    throw invalid(what, validation.issues);
  }

  /** The document migrated to the current schema even when it has issues; 422 only when it cannot be read at all. */
  async function readable(doc: unknown, what: string): Promise<FlowDefinition> {
    const validation = await check(doc);
    if (validation.flow) return validation.flow;
    throw invalid(what, validation.issues);
  }

  async function staleDraft(flow: FlowDoc, revision: number): Promise<AppError> {
    const current = revisionOf(flow);
    const savedBy = flow.draftUpdatedBy ?? null;
    const savedByName = savedBy && ((await Agent.findById(savedBy).lean())?.name ?? savedBy);
    const savedAt = flow.draftUpdatedAt?.toISOString() ?? null;
    const who = savedByName ? ` (saved by ${savedByName} at ${savedAt})` : '';
    return new AppError(
      409,
      `the draft is at revision ${current}${who}, not revision ${revision} that you loaded: reload it and apply your changes again`,
      { currentRevision: current, savedBy, savedByName, savedAt },
    );
  }

  /**
   * Brings the flow document up to its newest draft revision and version.
   * Both are claimed by inserts on a unique _id, which are atomic even on
   * FerretDB v1 (no transactions, and updates are read-modify-write without
   * isolation, so a check-then-update lets two writers both win). The flow
   * document is a copy kept for cheap reads; a racing update can put older
   * values back in it, so every writer reconciles after its own insert and
   * re-checks after its own update: the last one to write leaves it current.
   */
  async function reconcile(flowId: string): Promise<FlowDoc> {
    for (let attempt = 0; attempt < RECONCILE_ATTEMPTS; attempt++) {
      const flow = await loadFlow(flowId);
      const revision = await newest(revisionOf(flow), (n) => FlowDraftRevision.exists({ _id: draftId(flowId, n) }));
      const version = await newest(flow.publishedVersion, (n) => FlowVersion.exists({ _id: versionId(flowId, n) }));
      if (revision === revisionOf(flow) && version === flow.publishedVersion) return flow;
      const draft = revision === revisionOf(flow) ? null : await FlowDraftRevision.findById(draftId(flowId, revision)).lean();
      await Flow.updateOne({ _id: flowId }, {
        $set: {
          publishedVersion: version, updatedAt: new Date(),
          ...(draft ? { draft: draft.definition, draftRevision: revision, draftUpdatedBy: draft.savedBy, draftUpdatedAt: draft.savedAt } : {}),
        },
      });
    }
    // Only endless racing writers get here; the person retries.
    throw new AppError(503, `flow "${flowId}" is being changed by others right now; try again`, { flowId });
  }

  /** Publishes a valid definition as the next version; the loser of a race for a number takes the next one. */
  async function publishDefinition(flow: FlowDoc, definition: FlowDefinition, actor: Actor, message: string, rollbackOf?: number) {
    for (let version = flow.publishedVersion + 1; ; version++) {
      const doc = {
        _id: versionId(flow._id, version), flowId: flow._id, version, definition,
        publishedBy: actor.id, publishedAt: new Date(), message, ...(rollbackOf ? { rollbackOf } : {}),
      };
      try {
        await FlowVersion.insertMany([doc], AS_GIVEN);
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      await reconcile(flow._id);
      return versionView(doc);
    }
  }

  /** Saves the draft if nobody saved since `revision`; invalid drafts are saved too, with their issues returned. */
  async function saveDraft(id: string, input: { definition: Record<string, unknown>; revision: number }, actor: Actor) {
    requireStorable(input.definition);
    const flow = await reconcile(id);
    if (revisionOf(flow) !== input.revision) throw await staleDraft(flow, input.revision);
    const saved: DraftRevision = {
      _id: draftId(id, input.revision + 1), flowId: id, revision: input.revision + 1,
      definition: input.definition, savedBy: actor.id, savedAt: new Date(),
    };
    try {
      await FlowDraftRevision.insertMany([saved], AS_GIVEN);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      throw await staleDraft(await reconcile(id), input.revision);
    }
    await reconcile(id);
    // This save's revision, not the flow's: another save may follow at once.
    return {
      id, draftRevision: saved.revision, draftUpdatedBy: saved.savedBy, draftUpdatedAt: saved.savedAt.toISOString(),
      validation: result(await check(input.definition)),
    };
  }

  async function get(id: string) {
    const flow = await loadFlow(id);
    const inboxes = await Inbox.find({ flowId: id }).select('_id').lean();
    return {
      ...flowSummary(flow, inboxes.map((i) => i._id)),
      draftUpdatedBy: flow.draftUpdatedBy ?? null, draftUpdatedAt: flow.draftUpdatedAt?.toISOString() ?? null,
      createdAt: flow.createdAt?.toISOString() ?? null, draft: await draftOf(flow),
    };
  }

  return {
    get,

    /** Every flow with the inboxes running it, its live version, and whether its draft differs from it. */
    async list() {
      const [flows, inboxes] = await Promise.all([Flow.find().sort({ updatedAt: -1 }).lean(), Inbox.find().select('flowId').lean()]);
      return Promise.all(flows.map(async (f) => {
        const live = f.publishedVersion > 0 ? await FlowVersion.findById(versionId(f._id, f.publishedVersion)).lean() : null;
        return {
          ...flowSummary(f, inboxes.filter((i) => i.flowId === f._id).map((i) => i._id)),
          live: live && versionView(live),
          draftStatus: live ? draftStatus(live.definition as FlowDefinition, await draftOf(f)) : 'new',
        };
      }));
    },

    async create(input: { name: string; description?: string; definition?: Record<string, unknown> }, actor: Actor) {
      const now = new Date();
      const id = randomUUID();
      const draft = input.definition ?? defaultFlow;
      requireStorable(draft);
      await Flow.insertMany([{
        _id: id, name: input.name, ...(input.description ? { description: input.description } : {}),
        publishedVersion: 0, draft, draftRevision: 1, draftUpdatedBy: actor.id, draftUpdatedAt: now, createdAt: now, updatedAt: now,
      }], AS_GIVEN);
      return { ...(await get(id)), validation: result(await check(draft)) };
    },

    saveDraft,

    /** Validates the given definition, or the saved draft. */
    async validate(id: string, definition?: Record<string, unknown>) {
      const flow = await loadFlow(id);
      return result(await check(definition ?? (await draftOf(flow))));
    },

    async publish(id: string, input: { message: string; revision?: number }, actor: Actor) {
      const flow = await reconcile(id);
      if (input.revision !== undefined && input.revision !== revisionOf(flow)) throw await staleDraft(flow, input.revision);
      const definition = await requireValid(await draftOf(flow), label('draft'));
      return publishDefinition(flow, definition, actor, input.message);
    },

    /** Publishes an old version's definition again; it must still validate against today's node types and records. */
    async rollback(id: string, input: { version: number; message?: string }, actor: Actor) {
      const flow = await loadFlow(id);
      if (input.version === flow.publishedVersion) throw new AppError(409, `version ${input.version} is the published version already`, { publishedVersion: flow.publishedVersion });
      const old = await FlowVersion.findById(versionId(id, input.version)).lean();
      if (!old) throw new AppError(422, `flow "${id}" has no version ${input.version}`, { version: input.version });
      const definition = await requireValid(old.definition, label(input.version));
      const published = await publishDefinition(flow, definition, actor, input.message ?? `Rollback to version ${input.version}`, input.version);
      // The draft follows, so the next publish does not quietly bring back what was rolled back.
      const current = await reconcile(id);
      try {
        await saveDraft(id, { definition: old.definition as Record<string, unknown>, revision: revisionOf(current) }, actor);
      } catch (err) {
        if (!(err instanceof AppError && err.status === 409)) throw err; // someone saved at this instant: their draft stands
      }
      return published;
    },

    async versions(id: string) {
      await loadFlow(id);
      const docs = await FlowVersion.find({ flowId: id }).select('-definition').sort({ version: -1 }).lean();
      return docs.map(versionView);
    },

    async version(id: string, version: number) {
      await loadFlow(id);
      const doc = await loadVersion(id, version);
      return { ...versionView(doc), definition: doc.definition };
    },

    async diff(id: string, from: VersionRef, to: VersionRef): Promise<{ from: VersionRef; to: VersionRef; diff: FlowDiff }> {
      const flow = await loadFlow(id);
      const [before, after] = await Promise.all(
        [from, to].map(async (ref) => readable(await definitionAt(flow, ref), label(ref))),
      );
      return { from, to, diff: diffFlows(before, after) };
    },

    /** Runs the draft (or a published version) on a sample message; an invalid flow is not run. */
    async simulate(id: string, { version = 'draft', ...input }: SimulationInput & { version?: VersionRef }): Promise<SimulationResult> {
      const flow = await loadFlow(id);
      const definition = await requireValid(await definitionAt(flow, version), label(version));
      return simulateFlow(models, definition, input, integrations);
    },

    /** Deletes a flow no inbox runs. Its versions stay: finished conversations name the version they ran. */
    async remove(id: string) {
      await loadFlow(id);
      const using = (await Inbox.find({ flowId: id }).select('_id').lean()).map((i) => i._id);
      if (using.length) throw new AppError(409, `inboxes run this flow: ${using.join(', ')}; point them at another flow first`, { inboxes: using });
      await Flow.deleteOne({ _id: id });
      await FlowDraftRevision.deleteMany({ flowId: id });
    },

    /** Points an inbox at a published flow; conversations already running keep the version they pinned. */
    async assignToInbox(inboxId: string, flowId: string) {
      const inbox = await Inbox.findById(inboxId).lean();
      if (!inbox) throw new AppError(404, `no inbox "${inboxId}"`, { inboxId });
      const flow = await Flow.findById(flowId).lean();
      if (!flow) throw new AppError(422, `no flow "${flowId}"`, { flowId });
      if (flow.publishedVersion < 1) throw new AppError(409, `flow "${flowId}" has no published version yet: publish it first`, { flowId });
      // The start node may name the inboxes and channels the flow is for.
      const { definition } = await loadVersion(flowId, flow.publishedVersion);
      const start = (definition as FlowDefinition).nodes.find((n) => n.type === 'start')?.parameters as { inboxes?: string[]; channels?: string[] } | undefined;
      if (start?.inboxes?.length && !start.inboxes.includes(inboxId)) {
        throw new AppError(422, `flow "${flowId}" starts only for inboxes ${start.inboxes.join(', ')}, not "${inboxId}"`, { flowId, inboxes: start.inboxes });
      }
      if (start?.channels?.length && !start.channels.includes(inbox.channel)) {
        throw new AppError(422, `flow "${flowId}" starts only for channels ${start.channels.join(', ')}, not ${inbox.channel}`, { flowId, channels: start.channels });
      }
      await Inbox.updateOne({ _id: inboxId }, { $set: { flowId } });
      return { inbox: (await Inbox.findById(inboxId).lean())!, flowVersion: flow.publishedVersion };
    },
  };
}

/**
 * Where a document has a key MongoDB-wire servers refuse to store (FerretDB
 * refuses every key starting with "$" or containing "."), as a JSON pointer.
 * Drafts may be invalid, but they must be storable.
 */
function unstorableKey(value: unknown, pointer = ''): string | undefined {
  if (Array.isArray(value)) return value.map((v, i) => unstorableKey(v, `${pointer}/${i}`)).find(Boolean);
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (key.startsWith('$') || key.includes('.')) return at;
    const inner = unstorableKey(v, at);
    if (inner) return inner;
  }
  return undefined;
}

function requireStorable(definition: unknown) {
  const pointer = unstorableKey(definition);
  if (pointer) throw new AppError(400, `the flow document cannot be stored: the key at ${pointer} starts with "$" or contains "."`, { pointer });
}

function invalid(what: string, issues: FlowIssue[]): AppError {
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError(422, `${what} does not validate: ${issues[0]?.message.en ?? 'unreadable flow document'}${more}`, { issues });
}

interface FlowFields {
  _id: string;
  name: string;
  description?: string | null;
  publishedVersion: number;
  draftRevision?: number | null;
  updatedAt?: Date | null;
}

function flowSummary(f: FlowFields, inboxes: string[]) {
  return {
    id: f._id, name: f.name, description: f.description ?? null,
    publishedVersion: f.publishedVersion, draftRevision: revisionOf(f),
    updatedAt: f.updatedAt?.toISOString() ?? null, inboxes,
  };
}

/** Whether the draft has changes the live version lacks (moves count: the analyst made them). */
function draftStatus(live: FlowDefinition, draft: unknown): 'changed' | 'same' | 'unknown' {
  try {
    const { nodes, edges } = diffFlows(live, draft as FlowDefinition);
    const lists = [nodes.added, nodes.removed, nodes.changed, nodes.moved, edges.added, edges.removed, edges.changed];
    return lists.some((list) => list.length > 0) ? 'changed' : 'same';
  } catch {
    return 'unknown'; // a draft too broken to compare
  }
}

function versionView(v: { version: number; publishedBy?: string | null; publishedAt?: Date | null; message?: string | null; rollbackOf?: number | null }) {
  return {
    version: v.version, publishedBy: v.publishedBy ?? null, publishedAt: v.publishedAt?.toISOString() ?? null,
    message: v.message ?? null, rollbackOf: v.rollbackOf ?? null,
  };
}
