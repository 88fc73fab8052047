import { EmbeddedEventStore } from '#embedded-eventstore';
console.log(typeof EmbeddedEventStore);
