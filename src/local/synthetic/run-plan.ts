/**
 * Runs a plan on a timeline, one call at a time, as the JS durable SDK would checkpoint it: assigns the
 * step-path Ids, opens the operations, nests contexts and turns uncaught failures into ContextFailed.
 */

import { Failure, finishCallback, runInvoke, runStep, runWait, startCallback } from './leaf-operations.js';
import type { ErrorObject, ModelOperation, OperationType } from './model.js';
import { operationId } from './model.js';
import { jsonOfSize } from './payloads.js';
import type { CallbackNode, ContextNode, PlanNode, StepNode } from './plan-nodes.js';
import type { Prng } from './prng.js';
import type { Timeline } from './timeline.js';

/** Where new operations go: the parent's step path, its Id, and the count of operations started in it. */
export interface Scope {
  path: string;
  parentId?: string;
  counter: number;
}

type Outcome = { ok: true; result?: string } | { ok: false; error: ErrorObject };

/**
 * The JS SDK's checkpoint payload limit; a bigger context result sets ReplayChildren
 * (docs/DURABLE-API.md §3.3).
 */
const CHECKPOINT_LIMIT = 256 * 1024;

/** A child's serialized result as the BatchResult holds it: parsed JSON, or the text when it is not JSON. */
function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Executes a plan on a timeline the way the JS durable SDK would checkpoint it, one call at a time. */
export class PlanRunner {
  constructor(
    private readonly t: Timeline,
    private readonly prng: Prng,
  ) {}

  /** Runs nodes in order; returns the last successful result. */
  runSequence(nodes: readonly PlanNode[], scope: Scope): string | undefined {
    let last: string | undefined;
    for (const node of nodes) {
      const outcome = this.runNode(node, scope);
      if (outcome.ok) last = outcome.result;
    }
    return last;
  }

  private runNode(node: PlanNode, scope: Scope): Outcome {
    try {
      return { ok: true, result: this.runInner(node, scope) };
    } catch (e) {
      if (e instanceof Failure && !e.fatal && node.catches) return { ok: false, error: e.error };
      throw e;
    }
  }

  private runInner(node: PlanNode, scope: Scope): string | undefined {
    const { t, prng } = this;
    switch (node.kind) {
      case 'step':
        return runStep(t, prng, node, this.open(scope, 'STEP', node.subType, node.name).op);
      case 'wait':
        return runWait(t, node, this.open(scope, 'WAIT', 'Wait', node.name).op);
      case 'callback': {
        const { op } = this.open(scope, 'CALLBACK', 'Callback', node.name);
        return finishCallback(t, prng, node, op, startCallback(t, prng, node, op));
      }
      case 'invoke':
        return runInvoke(t, prng, node, this.open(scope, 'CHAINED_INVOKE', 'ChainedInvoke', node.name).op);
      case 'context':
        return this.context(node, scope);
    }
  }

  private open(scope: Scope, type: OperationType, subType: string, name: string | undefined) {
    scope.counter++;
    const path = scope.path === '' ? String(scope.counter) : `${scope.path}-${scope.counter}`;
    this.t.tick();
    const op: ModelOperation = { id: operationId(path), type, subType, status: 'STARTED', startMs: 0 };
    if (scope.parentId !== undefined) op.parentId = scope.parentId;
    if (name !== undefined) op.name = name;
    return { op: this.t.begin(op), path };
  }

  private context(node: ContextNode, scope: Scope): string | undefined {
    const { t } = this;
    const { op, path } = this.open(scope, 'CONTEXT', node.subType, node.name);
    t.emit(op, 'ContextStarted', {});
    let body: { result: string | undefined; replay: boolean };
    try {
      body = this.contextBody(node, { path, parentId: op.id, counter: 0 });
    } catch (e) {
      if (e instanceof Failure) {
        t.tick();
        op.error = e.error;
        op.endMs = t.emit(op, 'ContextFailed', { Error: t.wrapError(e.error) });
        op.status = 'FAILED';
      }
      throw e;
    }
    t.tick();
    op.result = body.result;
    const details: Record<string, unknown> = { Result: t.wrap(body.result) };
    if (body.replay) {
      op.replayChildren = true;
      details.ReplayChildren = true; // local extension, see REPLAY_CHILDREN_MEMBER
    }
    op.endMs = t.emit(op, 'ContextSucceeded', details);
    op.status = 'SUCCEEDED';
    return body.result;
  }

  private contextBody(node: ContextNode, inner: Scope): { result: string | undefined; replay: boolean } {
    if (node.subType === 'WaitForCallback') {
      const [callback, submitter] = node.children as [CallbackNode, StepNode];
      const { op } = this.open(inner, 'CALLBACK', 'Callback', callback.name);
      const timeout = startCallback(this.t, this.prng, callback, op);
      this.runNode(submitter, inner);
      return { result: finishCallback(this.t, this.prng, callback, op, timeout), replay: false };
    }
    if (node.subType === 'Map' || node.subType === 'Parallel') {
      const all = node.children.map((child, index) => {
        const o = this.runNode(child, inner);
        if (!o.ok) return { error: o.error, index, status: 'FAILED' };
        return o.result === undefined
          ? { index, status: 'SUCCEEDED' }
          : { result: parseOrKeep(o.result), index, status: 'SUCCEEDED' };
      });
      const result = JSON.stringify({ all, completionReason: 'ALL_COMPLETED' });
      if (result.length <= CHECKPOINT_LIMIT) return { result, replay: node.replayChildren };
      const failureCount = all.filter((item) => item.status === 'FAILED').length;
      const summary = {
        type: node.subType === 'Map' ? 'MapResult' : 'ParallelResult',
        totalCount: all.length,
        successCount: all.length - failureCount,
        failureCount,
        completionReason: 'ALL_COMPLETED',
        status: failureCount > 0 ? 'FAILED' : 'SUCCEEDED',
      };
      return { result: JSON.stringify(summary), replay: true };
    }
    const last = this.runSequence(node.children, inner);
    const result = last ?? jsonOfSize(this.prng, this.prng.int(20, 120));
    if (result.length > CHECKPOINT_LIMIT) return { result: '', replay: true };
    return { result, replay: node.replayChildren };
  }
}
