import { stageAt } from '../account/stage-at.policy.js';
import type { AccountState } from '../account-state.js';
import { created, type DecideContext, type Decision, DUPLICATE, requireAccount } from '../decision.js';
import { DomainError, DomainErrorCode } from '../domain-error.js';
import {
  checkAccountId,
  checkBoolean,
  checkInstant,
  checkItemId,
  checkOneOf,
  checkOptionalFreeText,
  checkText,
  FieldErrors,
} from '../shared/field-errors.js';
import { indexGet } from '../shared/id-index.js';
import { toIso } from '../shared/instant.js';
import { LIMITS } from '../shared/limits.js';
import { silenceEndedBy } from '../silence/silence.policy.js';
import { CHANNELS } from './channel.enum.js';
import { DIRECTIONS } from './direction.enum.js';
import { PILLARS } from './pillar.enum.js';
import { isQualifyingTouch } from './qualifying-touch.policy.js';
import { SENTIMENTS } from './sentiment.enum.js';
import type { TouchpointContent } from './touchpoint.content.js';
import { touchpointFingerprintOf } from './touchpoint.content.js';
import type { RecordTouchpoint } from './touchpoint.commands.js';

export function decideRecordTouchpoint(
  command: RecordTouchpoint,
  state: AccountState,
  context: DecideContext,
): Decision {
  const input = command.data;
  const now = context.now.getTime();
  const errors = new FieldErrors();
  checkItemId(errors, 'touchpointId', input.touchpointId);
  checkAccountId(errors, 'accountId', input.accountId);
  const occurredAt = checkInstant(errors, 'occurredAt', input.occurredAt, { required: true, notAfter: now });
  checkOneOf(errors, 'channel', input.channel, CHANNELS);
  checkOneOf(errors, 'direction', input.direction, DIRECTIONS);
  checkOneOf(errors, 'pillar', input.pillar, PILLARS);
  checkOneOf(errors, 'sentiment', input.sentiment, SENTIMENTS, false);
  checkBoolean(errors, 'momentOfTruth', input.momentOfTruth);
  checkOptionalFreeText(errors, 'summary', input.summary, LIMITS.summaryMaxLength);
  checkText(errors, 'actorId', input.actorId, { max: LIMITS.personIdMaxLength, required: false });
  checkParticipants(errors, input.participants);
  checkText(errors, 'source', input.source, { max: LIMITS.sourceMaxLength, required: true });
  checkText(errors, 'externalRef', input.externalRef, { max: LIMITS.externalRefMaxLength, required: false });
  errors.throwIfAny();

  const account = requireAccount(state, input.accountId);
  const at = occurredAt as number;
  const content: TouchpointContent = {
    occurredAt: toIso(at),
    channel: input.channel,
    direction: input.direction,
    pillar: input.pillar,
    sentiment: input.sentiment ?? null,
    momentOfTruth: input.momentOfTruth ?? false,
    summary: input.summary ?? null,
    actorId: input.actorId ?? null,
    participants: [...(input.participants ?? [])],
    source: input.source,
    externalRef: input.externalRef ?? null,
  };
  const seen = indexGet(account.touchpoints, input.touchpointId);
  if (seen !== undefined) {
    if (seen === touchpointFingerprintOf(content)) return DUPLICATE;
    throw new DomainError(
      DomainErrorCode.IDEMPOTENCY_CONFLICT,
      `Touchpoint ${input.touchpointId} was already recorded with different content`,
    );
  }

  const qualifying = isQualifyingTouch(content);
  const recorded = {
    type: 'TouchpointRecorded',
    data: {
      accountId: account.id,
      touchpointId: input.touchpointId,
      ...content,
      stage: stageAt(account, at),
      qualifying,
    },
  } as const;
  const silentForDays = silenceEndedBy(account, { occurredAt: at, qualifying }, now);
  if (silentForDays === undefined) return created(recorded);
  return created(recorded, {
    type: 'AccountReEngaged',
    data: {
      accountId: account.id,
      touchpointId: input.touchpointId,
      silentSince: account.silentSince ?? account.openedAt,
      silentForDays,
      occurredAt: content.occurredAt,
    },
  });
}

function checkParticipants(errors: FieldErrors, participants: unknown): void {
  if (participants === undefined || participants === null) return;
  if (!Array.isArray(participants)) return errors.add('participants', 'must be a list of strings');
  if (participants.length > LIMITS.participantsMaxCount) {
    errors.add('participants', `must have at most ${LIMITS.participantsMaxCount} entries`);
  }
  participants.forEach((participant: unknown, index) =>
    checkText(errors, `participants.${index}`, participant, {
      max: LIMITS.participantMaxLength,
      required: true,
    }),
  );
}
