// The contract of a flow node type (a plugin). Definitions are plain data: the
// validator, the worker, the simulator and the editor read the same ones from
// the registry (activities/registry.ts). Types only here, so workflow code and
// the editor can import them.
import type { ConversationRef, Language } from '../activities/types';

export interface Bilingual {
  zh: string;
  en: string;
}

/** A JSON Schema (2020-12). Editor hints ride along as `x-` keywords (see README, "Adding an activity"). */
export type JsonSchema = Record<string, unknown>;

export interface HandleDefinition {
  /** What edges name in `from.handle`. */
  id: string;
  title: Bilingual;
  /** A flow may not publish with this handle unconnected. */
  required?: boolean;
}

export type NodeCategory = 'flow' | 'messaging' | 'bot' | 'logic' | 'routing' | 'data' | 'integration';

/** A record a parameter names, checked to exist when a flow is validated. */
export type ReferenceKind = 'queue' | 'inbox' | 'faqSet';

export interface NodeTypeDefinition {
  type: string;
  /** Bumped by a breaking parameter change; flows keep the version they were drawn with, and it still runs. */
  typeVersion: number;
  title: Bilingual;
  description: Bilingual;
  category: NodeCategory;
  /** The node's parameters. Defaults in the schema are what a new node starts with in the editor. */
  parameters: JsonSchema;
  /** Outgoing handles. For a rules node these are only the fixed ones; see `ruleHandles`. */
  handles: HandleDefinition[];
  /** The handles are the rules' event types plus `defaultHandle` (the rules node). */
  ruleHandles?: boolean;
  /** JSON pointer (into parameters) of a json-rules-engine rules array to check against the facts catalog. */
  rulesAt?: string;
  /** Waits for the customer or a timer: a cycle through such a node is not a busy loop. */
  waits?: boolean;
  /** Parameters that name other records; `pointer` may end in `/*` for an array of names. */
  references?: { pointer: string; kind: ReferenceKind }[];
  /** The fact this node adds for later rules (its output), e.g. `order`. */
  provides?: { fact: string; description: Bilingual; schema: JsonSchema };
  /** An older version kept so saved flows still run; the palette offers the newest only. */
  superseded?: boolean;
  /** Has an effect outside the conversation (writes, sends, calls out): the simulator runs it in dry-run mode. */
  sideEffects?: boolean;
}

/** What the interpreter hands a plugin's handler when a node of its type runs. */
export interface NodeRunInput extends ConversationRef {
  nodeId: string;
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown>;
  /** The facts the conversation holds now (message, contact, conversation, time, and earlier nodes' outputs). */
  facts: Record<string, unknown>;
  language: Language;
  /** Workflow time, epoch ms. */
  now: number;
  /** Id for a message this node sends, made by the workflow so a retry stores it once. */
  messageId: string;
  /** The simulator: report what would happen, change nothing outside. */
  dryRun: boolean;
}

export interface NodeRunResult {
  /** The outgoing handle taken. */
  handle: string;
  /** The node's output, stored as the fact the definition `provides`. */
  output?: Record<string, unknown>;
  /** That fact's name; filled in by the plugin runner from the definition, not by handlers. */
  fact?: string;
  /** Changes to the contact (set attribute / tag), applied to the `contact` fact. */
  contact?: { attributes?: Record<string, unknown>; tags?: string[] };
  /** Text sent to the customer (or, in dry run, that would be). */
  sent?: string;
  /** One line for the conversation timeline / simulator, in both languages. */
  note?: Bilingual;
}
