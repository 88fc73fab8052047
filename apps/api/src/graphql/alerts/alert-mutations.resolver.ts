import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';

import { AcknowledgeAlertCommand, alertInputProblems, ResolveAlertCommand } from '#alert-commands';

import { badUserInput } from '../../http/validation.js';
import type { GraphQLContext } from '../graphql-context.js';
import { Alert } from '../types/objects.js';
import type { AlertNode } from './alert-node.js';
import { AlertWrites } from './alert-writes.js';

/** People acknowledging and resolving alerts; each answers the alert as it then stands. */
@Resolver()
export class AlertMutationsResolver {
  constructor(private readonly writes: AlertWrites) {}

  @Mutation(() => Alert)
  async acknowledgeAlert(
    @Args('id', { type: () => ID }) id: string,
    @Args('note', { type: () => String, nullable: true }) note: string | null,
    @Context() context: GraphQLContext,
  ): Promise<AlertNode> {
    const principal = this.writes.manager(context);
    const problems = alertInputProblems({ id, text: note, textField: 'note', textRequired: false });
    if (problems.length) throw badUserInput(problems);
    const command = new AcknowledgeAlertCommand(
      { alertId: id, note: note ?? null },
      this.writes.commandContext(principal, context),
    );
    return this.writes.run(command, id, context);
  }

  @Mutation(() => Alert)
  async resolveAlert(
    @Args('id', { type: () => ID }) id: string,
    @Args('reason', { type: () => String }) reason: string,
    @Context() context: GraphQLContext,
  ): Promise<AlertNode> {
    const principal = this.writes.manager(context);
    const problems = alertInputProblems({ id, text: reason, textField: 'reason', textRequired: true });
    if (problems.length) throw badUserInput(problems);
    const command = new ResolveAlertCommand(
      { alertId: id, reason },
      this.writes.commandContext(principal, context),
    );
    return this.writes.run(command, id, context);
  }
}
