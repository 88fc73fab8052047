/** Plain JSON, as events and cached state must be. Declare data with `type` aliases, not interfaces. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonData = { readonly [key: string]: Json };

/** An event as the decider emits it; the store adds metadata (`createEvent` in #eventstore). */
export type Event<Type extends string, Data extends JsonData> = {
  readonly type: Type;
  readonly data: Data;
};

/** A request to change a stream; `data` is raw input and is validated by `decide`. */
export type Command<Type extends string, Data> = {
  readonly type: Type;
  readonly data: Data;
};
