import { performance } from 'node:perf_hooks';

import { getOperationAST, type DocumentNode } from 'graphql';

import type { Metrics } from '#metrics';

interface Operation {
  readonly startedAt: number;
  type: string;
  name: string;
}

/** Before the document is read (it may not parse), the operation is not known. */
const UNKNOWN = 'unknown';
const ANONYMOUS = 'anonymous';

/**
 * Counts and times GraphQL operations over HTTP by type, name and outcome, from Mercurius's hooks:
 * the clock starts before parsing, the operation is named before execution, and the outcome is
 * taken from the result, or from the error formatter for requests refused before they ran (parse,
 * validation, depth and cost limits). Each request is counted once.
 */
export class GraphQLMetrics {
  private readonly operations = new WeakMap<object, Operation>();

  constructor(private readonly metrics: Metrics | undefined) {}

  readonly preParsing = async (_schema: unknown, _source: string, context: object): Promise<void> => {
    if (this.metrics)
      this.operations.set(context, { startedAt: performance.now(), type: UNKNOWN, name: UNKNOWN });
  };

  readonly preExecution = async (
    _schema: unknown,
    document: DocumentNode,
    context: object,
  ): Promise<void> => {
    const operation = this.operations.get(context);
    if (!operation) return;
    const body = ((context as { reply?: { request?: { body?: unknown } } }).reply?.request?.body ?? {}) as {
      operationName?: unknown;
    };
    const ast = getOperationAST(
      document,
      typeof body.operationName === 'string' ? body.operationName : undefined,
    );
    operation.type = ast?.operation ?? UNKNOWN;
    operation.name = ast?.name?.value ?? ANONYMOUS;
  };

  readonly onResolution = async (
    execution: { errors?: readonly unknown[] },
    context: object,
  ): Promise<void> => {
    this.finish(context, execution.errors?.length ? 'error' : 'success');
  };

  /** For the error formatter: every GraphQL error answer goes through it. */
  failed(context: object | undefined): void {
    if (context) this.finish(context, 'error');
  }

  private finish(context: object, outcome: 'success' | 'error'): void {
    const operation = this.operations.get(context);
    if (!operation || !this.metrics) return;
    this.operations.delete(context);
    const seconds = (performance.now() - operation.startedAt) / 1000;
    this.metrics.recordGraphQLOperation(operation.type, operation.name, outcome, seconds);
  }
}
