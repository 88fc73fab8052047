export const Channel = {
  EMAIL: 'EMAIL',
  CALL: 'CALL',
  VIDEO_CALL: 'VIDEO_CALL',
  MEETING: 'MEETING',
  IN_PERSON: 'IN_PERSON',
  CHAT: 'CHAT',
  SUPPORT_TICKET: 'SUPPORT_TICKET',
  SURVEY: 'SURVEY',
  EVENT: 'EVENT',
  PRODUCT_USAGE: 'PRODUCT_USAGE',
  SOCIAL: 'SOCIAL',
  INTERNAL_NOTE: 'INTERNAL_NOTE',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNELS: readonly Channel[] = Object.values(Channel);
