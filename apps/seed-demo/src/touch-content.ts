import {
  phaseOf,
  type Channel,
  type Direction,
  type LifecyclePhase,
  type LifecycleStage,
  type Pillar,
  type Sentiment,
} from '#lifecycle';

import type { Random } from './random.js';
import { EVENTS, GOALS, ISSUES, LEGACY_TOOLS, PRODUCT_AREAS } from './word-lists.js';

/** Whether the kind must be a qualifying touch (ends silence), must not be, or may be either. */
export type TouchConstraint = 'ANY' | 'QUALIFYING' | 'NON_QUALIFYING';
/** How the account feels about us: it shifts sentiment and commitment outcomes. */
export type Mood = 'THRIVING' | 'STEADY' | 'AT_RISK';

export interface TouchKind {
  readonly channel: Channel;
  readonly direction: Direction;
  readonly pillar: Pillar;
  readonly sentiment: Sentiment | null;
  readonly momentOfTruth: boolean;
}

export interface Contact {
  readonly name: string;
  readonly role: string;
  readonly email: string;
}

export interface DemoTeam {
  readonly support: readonly string[];
  readonly engineers: readonly string[];
}

/** What a touch's text and people are made from. */
export interface TouchContext {
  readonly industry: string;
  readonly contacts: readonly Contact[];
  readonly ownerId: string;
  readonly team: DemoTeam;
}

/** A regular touch, the follow-up that recovers a bad moment of truth, or the touch that goes with entering a stage. */
export type TouchTheme =
  | { readonly kind: 'REGULAR' }
  | { readonly kind: 'RECOVERY' }
  | { readonly kind: 'STAGE'; readonly stage: LifecycleStage };

export interface TouchText {
  readonly summary: string;
  readonly actorId?: string;
  readonly participants: string[];
  readonly source: string;
  readonly externalRef?: string;
}

const CHANNEL_WEIGHTS: Readonly<Record<LifecyclePhase, Partial<Record<Channel, number>>>> = {
  PRE_SALES: {
    EMAIL: 30,
    CALL: 15,
    VIDEO_CALL: 15,
    MEETING: 8,
    IN_PERSON: 3,
    CHAT: 3,
    SUPPORT_TICKET: 1,
    SURVEY: 1,
    EVENT: 6,
    PRODUCT_USAGE: 3,
    SOCIAL: 5,
    INTERNAL_NOTE: 10,
  },
  ONBOARDING: {
    EMAIL: 22,
    CALL: 10,
    VIDEO_CALL: 18,
    MEETING: 6,
    IN_PERSON: 3,
    CHAT: 8,
    SUPPORT_TICKET: 12,
    SURVEY: 2,
    EVENT: 1,
    PRODUCT_USAGE: 10,
    SOCIAL: 1,
    INTERNAL_NOTE: 7,
  },
  RETENTION: {
    EMAIL: 20,
    CALL: 8,
    VIDEO_CALL: 10,
    MEETING: 5,
    IN_PERSON: 2,
    CHAT: 8,
    SUPPORT_TICKET: 14,
    SURVEY: 5,
    EVENT: 4,
    PRODUCT_USAGE: 14,
    SOCIAL: 3,
    INTERNAL_NOTE: 7,
  },
  EXITED: { EMAIL: 30, CALL: 5, SOCIAL: 10, EVENT: 10, SURVEY: 5, PRODUCT_USAGE: 5, INTERNAL_NOTE: 35 },
};

const QUALIFYING_CHANNEL_WEIGHTS: Partial<Record<Channel, number>> = {
  EMAIL: 35,
  CALL: 20,
  VIDEO_CALL: 25,
  MEETING: 10,
  CHAT: 10,
};

const DIRECTION_WEIGHTS: Readonly<Record<Channel, Partial<Record<Direction, number>>>> = {
  EMAIL: { OUTBOUND: 55, INBOUND: 45 },
  CALL: { OUTBOUND: 65, INBOUND: 35 },
  VIDEO_CALL: { OUTBOUND: 60, INBOUND: 35, INTERNAL: 5 },
  MEETING: { OUTBOUND: 55, INBOUND: 30, INTERNAL: 15 },
  IN_PERSON: { OUTBOUND: 70, INBOUND: 30 },
  CHAT: { INBOUND: 70, OUTBOUND: 30 },
  SUPPORT_TICKET: { INBOUND: 85, OUTBOUND: 15 },
  SURVEY: { INBOUND: 70, OUTBOUND: 30 },
  EVENT: { OUTBOUND: 60, INBOUND: 40 },
  PRODUCT_USAGE: { INBOUND: 100 },
  SOCIAL: { INBOUND: 55, OUTBOUND: 45 },
  INTERNAL_NOTE: { INTERNAL: 100 },
};

const PILLAR_WEIGHTS: Readonly<Record<LifecyclePhase, Partial<Record<Pillar, number>>>> = {
  PRE_SALES: { DISCOVERY: 70, ENGAGEMENT: 25, SERVICE: 5 },
  ONBOARDING: { SERVICE: 60, DISCOVERY: 20, ENGAGEMENT: 20 },
  RETENTION: { SERVICE: 40, ENGAGEMENT: 35, DISCOVERY: 25 },
  EXITED: { ENGAGEMENT: 60, DISCOVERY: 30, SERVICE: 10 },
};

/** Channels that always serve one pillar. */
const CHANNEL_PILLAR: Partial<Record<Channel, Pillar>> = {
  SUPPORT_TICKET: 'SERVICE',
  SURVEY: 'ENGAGEMENT',
  EVENT: 'ENGAGEMENT',
  SOCIAL: 'ENGAGEMENT',
};

/** How often a touch on the channel is a customer's time of need. */
const MOMENT_OF_TRUTH_RATE: Partial<Record<Channel, number>> = {
  SUPPORT_TICKET: 0.08,
  CALL: 0.03,
  VIDEO_CALL: 0.02,
  MEETING: 0.02,
  EMAIL: 0.01,
  CHAT: 0.01,
};

const SENTIMENT_WEIGHTS: Readonly<Record<Mood, Partial<Record<Sentiment, number>>>> = {
  THRIVING: { POSITIVE: 60, NEUTRAL: 35, NEGATIVE: 5 },
  STEADY: { POSITIVE: 40, NEUTRAL: 48, NEGATIVE: 12 },
  AT_RISK: { POSITIVE: 18, NEUTRAL: 45, NEGATIVE: 37 },
};

const SOURCES: Readonly<Record<Channel, string>> = {
  EMAIL: 'gmail-sync',
  CALL: 'aircall',
  VIDEO_CALL: 'zoom',
  MEETING: 'calendar-sync',
  IN_PERSON: 'salesforce',
  CHAT: 'intercom',
  SUPPORT_TICKET: 'zendesk',
  SURVEY: 'delighted',
  EVENT: 'hubspot',
  PRODUCT_USAGE: 'segment',
  SOCIAL: 'linkedin',
  INTERNAL_NOTE: 'salesforce',
};

/** A random touch that fits the stage, the account's mood and the constraint. */
export function chooseTouchKind(
  r: Random,
  stage: LifecycleStage,
  mood: Mood,
  constraint: TouchConstraint,
): TouchKind {
  const phase = phaseOf(stage);
  let channel: Channel;
  if (constraint === 'NON_QUALIFYING') channel = r.chance(0.7) ? 'PRODUCT_USAGE' : 'INTERNAL_NOTE';
  else if (constraint === 'QUALIFYING') channel = r.weighted(QUALIFYING_CHANNEL_WEIGHTS);
  else channel = r.weighted(CHANNEL_WEIGHTS[phase]);

  let direction = r.weighted(DIRECTION_WEIGHTS[channel]);
  if (constraint === 'QUALIFYING' && direction === 'INTERNAL') direction = 'OUTBOUND';

  const momentOfTruth = direction !== 'INTERNAL' && r.chance(MOMENT_OF_TRUTH_RATE[channel] ?? 0);
  if (momentOfTruth) {
    const sentiment = r.weighted<Sentiment>(
      mood === 'AT_RISK'
        ? { NEGATIVE: 65, NEUTRAL: 15, POSITIVE: 20 }
        : { NEGATIVE: 40, NEUTRAL: 20, POSITIVE: 40 },
    );
    return { channel, direction, pillar: 'SERVICE', sentiment, momentOfTruth };
  }

  const pillar = CHANNEL_PILLAR[channel] ?? r.weighted(PILLAR_WEIGHTS[phase]);
  // Machines and internal notes rarely carry a customer's mood.
  const withoutSentiment =
    channel === 'PRODUCT_USAGE' ? 0.9 : channel === 'INTERNAL_NOTE' ? 0.5 : channel === 'SURVEY' ? 0 : 0.2;
  const sentiment = r.chance(withoutSentiment) ? null : r.weighted(SENTIMENT_WEIGHTS[mood]);
  return { channel, direction, pillar, sentiment, momentOfTruth };
}

/** The touch that goes with entering a stage (the proposal sent, the kick-off, the notice). */
export function stageTouchKind(stage: LifecycleStage): TouchKind {
  const kind = (
    channel: Channel,
    direction: Direction,
    pillar: Pillar,
    sentiment: Sentiment | null,
  ): TouchKind => ({ channel, direction, pillar, sentiment, momentOfTruth: false });
  switch (stage) {
    case 'PROSPECT':
      return kind('EMAIL', 'OUTBOUND', 'ENGAGEMENT', 'NEUTRAL');
    case 'DISCOVERY':
      return kind('VIDEO_CALL', 'OUTBOUND', 'DISCOVERY', 'POSITIVE');
    case 'PROPOSAL':
      return kind('EMAIL', 'OUTBOUND', 'DISCOVERY', 'NEUTRAL');
    case 'ONBOARDING':
      return kind('MEETING', 'OUTBOUND', 'SERVICE', 'POSITIVE');
    case 'ACTIVE':
      return kind('VIDEO_CALL', 'OUTBOUND', 'SERVICE', 'POSITIVE');
    case 'RENEWAL':
      return kind('CALL', 'OUTBOUND', 'ENGAGEMENT', 'NEUTRAL');
    case 'ADVOCATE':
      return kind('CALL', 'INBOUND', 'ENGAGEMENT', 'POSITIVE');
    case 'LOST':
      return kind('EMAIL', 'INBOUND', 'DISCOVERY', 'NEGATIVE');
    case 'CHURNED':
      return kind('EMAIL', 'INBOUND', 'ENGAGEMENT', 'NEGATIVE');
  }
}

/** The qualifying follow-up that closes a bad moment of truth. */
export function recoveryTouchKind(r: Random): TouchKind {
  return {
    channel: r.pick<Channel>(['CALL', 'VIDEO_CALL', 'EMAIL']),
    direction: 'OUTBOUND',
    pillar: 'SERVICE',
    sentiment: 'POSITIVE',
    momentOfTruth: false,
  };
}

const STAGE_SUMMARIES: Readonly<Record<LifecycleStage, string>> = {
  PROSPECT: 'Reconnected with {contact} ({role}) after a quiet period; they are open to talk again',
  DISCOVERY: 'Discovery kick-off with {contact} ({role}): they want to {goal}',
  PROPOSAL: 'Sent the proposal for {seats} seats to {contact}; they review it with finance next week',
  ONBOARDING: 'Contract signed. Onboarding kick-off with {contact} and their project team',
  ACTIVE: 'Onboarding complete: {users} users live; handed over to the account team',
  RENEWAL: 'Renewal conversation started with {contact}; the contract ends in {days} days',
  ADVOCATE: '{contact} agreed to be a reference customer and to speak at {event}',
  LOST: '{contact} told us they will not go ahead this year',
  CHURNED: '{contact} gave notice: they will not renew',
};

const MOMENT_SUMMARIES: Readonly<Record<Sentiment, readonly string[]>> = {
  NEGATIVE: [
    'Escalation: {issue} in {area}; {contact} copied their VP',
    'Outage: {area} unavailable for {hours} hours during their peak',
    'Critical ticket: {issue} is blocking their month-end close',
  ],
  NEUTRAL: ['Urgent request about {area} handled; a workaround is in place until the fix ships'],
  POSITIVE: [
    'Critical ticket on {area} solved within the hour; {contact} thanked the team',
    'Handled their go-live weekend incident; {contact} praised the response',
  ],
};

const CHANNEL_SUMMARIES: Partial<Record<Channel, readonly string[]>> = {
  PRODUCT_USAGE: [
    '{users} active users this week; most used: {area}',
    'Usage of {area} down {pct}% week over week',
    'First use of {area} by their team',
    'Weekly active users up {pct}%',
  ],
  INTERNAL_NOTE: [
    'Account plan updated: focus on {area} adoption',
    'Internal review: risk flagged because of {issue}',
    'Handover notes: {contact} ({role}) is the key decision maker',
    'Pipeline review: next step is a demo of {area}',
  ],
  SUPPORT_TICKET: ['Ticket #{ticket}: {issue} in {area}', 'Ticket #{ticket}: how-to question on {area}'],
  EVENT: ['Met {contact} at {event}', '{contact} attended {event}'],
  SOCIAL: ['{contact} shared our case study on LinkedIn', '{contact} commented on our post about {area}'],
  CHAT: ['Chat with {contact}: question about {area}', 'In-app chat: {contact} asked for help with {area}'],
};

const PILLAR_SUMMARIES: Readonly<Record<Pillar, readonly string[]>> = {
  DISCOVERY: [
    'Discovery call with {contact} ({role}) on how they plan to {goal}',
    'Mapped their current process for {area} with {contact}',
    '{contact} walked us through their plans to {goal}',
    'Demo of {area} for {contact} and two colleagues',
  ],
  SERVICE: [
    'Walked {contact} through configuring {area}',
    'Follow-up on {issue}: fix confirmed by {contact}',
    'Helped {contact} with the {area} setup',
    'Checked in on the open ticket about {issue}',
  ],
  ENGAGEMENT: [
    'Quarterly business review with {contact} ({role})',
    'Check-in with {contact}: priorities for next quarter',
    'Lunch with {contact}; talked about their expansion plans',
    'Invited {contact} to {event}',
  ],
};

const SURVEY_QUOTES: Readonly<Record<Sentiment, readonly string[]>> = {
  POSITIVE: ['The team always gets back to us the same day', 'Reporting saves us hours every week'],
  NEUTRAL: [
    'Does the job, but the setup took longer than planned',
    'Fine overall; we still miss a few reports',
  ],
  NEGATIVE: ['Too many outages this quarter', 'Support takes days to answer'],
};

/** The summary, the people and the source of a touch. */
export function describeTouch(
  r: Random,
  kind: TouchKind,
  theme: TouchTheme,
  context: TouchContext,
): TouchText {
  const contact = r.pick(context.contacts);
  const template = summaryTemplate(r, kind, theme);
  let summary = fill(template, r, context, contact);
  if (
    theme.kind === 'REGULAR' &&
    !kind.momentOfTruth &&
    kind.sentiment === 'NEGATIVE' &&
    kind.channel !== 'SURVEY'
  ) {
    summary += `. ${contact.name.split(' ')[0]} is unhappy about ${r.pick(ISSUES)}`;
  }

  const customerFacing = kind.direction !== 'INTERNAL' && kind.channel !== 'PRODUCT_USAGE';
  const participants = customerFacing
    ? [contact.email, ...(r.chance(0.3) ? [r.pick(context.contacts).email] : [])].filter(
        (email, i, all) => all.indexOf(email) === i,
      )
    : [];
  const ticket = r.int(10000, 99999);
  return {
    summary: summary.replace('{ticket}', String(ticket)),
    ...(kind.channel === 'PRODUCT_USAGE' ? {} : { actorId: actorFor(r, kind, context) }),
    participants,
    source: SOURCES[kind.channel],
    ...(kind.channel === 'SUPPORT_TICKET'
      ? { externalRef: `ZD-${ticket}` }
      : kind.channel === 'SURVEY'
        ? { externalRef: `nps-${r.int(100000, 999999)}` }
        : {}),
  };
}

function summaryTemplate(r: Random, kind: TouchKind, theme: TouchTheme): string {
  if (theme.kind === 'STAGE') return STAGE_SUMMARIES[theme.stage];
  if (theme.kind === 'RECOVERY') {
    return 'Follow-up on the incident: shared the root cause and the fix; {contact} is satisfied';
  }
  if (kind.momentOfTruth) return r.pick(MOMENT_SUMMARIES[kind.sentiment ?? 'NEUTRAL']);
  if (kind.channel === 'SURVEY') {
    const sentiment = kind.sentiment ?? 'NEUTRAL';
    const score =
      sentiment === 'POSITIVE' ? r.int(9, 10) : sentiment === 'NEUTRAL' ? r.int(7, 8) : r.int(0, 6);
    return `NPS ${score}: "${r.pick(SURVEY_QUOTES[sentiment])}"`;
  }
  if (kind.direction === 'INTERNAL' && kind.channel !== 'INTERNAL_NOTE') {
    return 'Internal account review before the next call with {contact}';
  }
  return r.pick(CHANNEL_SUMMARIES[kind.channel] ?? PILLAR_SUMMARIES[kind.pillar]);
}

function actorFor(r: Random, kind: TouchKind, context: TouchContext): string {
  if (kind.pillar === 'SERVICE' && r.chance(0.5)) return r.pick(context.team.support);
  if (kind.pillar === 'DISCOVERY' && r.chance(0.3)) return r.pick(context.team.engineers);
  return context.ownerId;
}

function fill(template: string, r: Random, context: TouchContext, contact: Contact): string {
  return template.replace(/\{(\w+)\}/g, (token, name: string) => {
    switch (name) {
      case 'contact':
        return contact.name;
      case 'role':
        return contact.role;
      case 'area':
        return r.pick(PRODUCT_AREAS);
      case 'issue':
        return r.pick(ISSUES);
      case 'goal':
        return r.pick(GOALS);
      case 'event':
        return r.pick(EVENTS);
      case 'legacy':
        return r.pick(LEGACY_TOOLS);
      case 'industry':
        return context.industry.toLowerCase();
      case 'seats':
        return String(r.int(2, 40) * 25);
      case 'users':
        return String(r.int(5, 400));
      case 'pct':
        return String(r.int(5, 45));
      case 'hours':
        return String(r.int(2, 9));
      case 'days':
        return String(r.int(30, 90));
      default:
        // {ticket} is filled by the caller, which also uses the number as the external reference.
        return token;
    }
  });
}

/** Fills a commitment title template with the same vocabulary as the touches. */
export function fillTitle(template: string, r: Random, context: TouchContext): string {
  return fill(template, r, context, context.contacts[0]);
}
