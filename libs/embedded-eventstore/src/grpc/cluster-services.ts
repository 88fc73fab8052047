import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { toUuid } from './messages.js';
import { ClusterInfo, EndPoint, MemberInfo, SupportedMethod, SupportedMethods } from './protocol.js';

/** The EventStoreDB version whose protocol the embedded server speaks. */
export const COMPATIBLE_SERVER_VERSION = '24.10.0';

/** Gossip answers with one live leader (this server), so `esdb+discover://` strings work. */
export function gossipImplementation(
  endpoint: () => { host: string; port: number },
): UntypedServiceImplementation {
  const instanceId = randomUUID();
  return {
    read: (_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<InstanceType<typeof ClusterInfo>>) => {
      const { host, port } = endpoint();
      const http = new EndPoint();
      http.setAddress(host);
      http.setPort(port);
      const member = new MemberInfo();
      member.setInstanceId(toUuid(instanceId, false));
      member.setTimeStamp(`${Date.now()}0000`);
      member.setState(MemberInfo.VNodeState.LEADER);
      member.setIsAlive(true);
      member.setHttpEndPoint(http);
      const info = new ClusterInfo();
      info.setMembersList([member]);
      cb(null, info);
    },
  };
}

/**
 * Advertises BatchAppend like a real server (21.10+), so the client takes the same path as in
 * production; Append stays available for appends that carry their own credentials.
 */
export function serverFeaturesImplementation(): UntypedServiceImplementation {
  const method = (name: string) => {
    const m = new SupportedMethod();
    m.setServiceName('event_store.client.streams.streams');
    m.setMethodName(name);
    return m;
  };
  return {
    getSupportedMethods: (
      _call: ServerUnaryCall<unknown, unknown>,
      cb: sendUnaryData<InstanceType<typeof SupportedMethods>>,
    ) => {
      const methods = new SupportedMethods();
      methods.setEventStoreServerVersion(COMPATIBLE_SERVER_VERSION);
      methods.setMethodsList(['read', 'append', 'batchappend', 'delete', 'tombstone'].map(method));
      cb(null, methods);
    },
  };
}
