// The message classes and service definitions that @eventstore/db-client ships. The server must
// use these very classes: the generated serializers check messages with instanceof.
import gossipGrpc from '@eventstore/db-client/generated/gossip_grpc_pb.js';
import gossipPb from '@eventstore/db-client/generated/gossip_pb.js';
import featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import featuresPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

export const { StreamsService } = streamsGrpc;
export const { GossipService } = gossipGrpc;
export const { ServerFeaturesService } = featuresGrpc;
export const {
  ReadReq,
  ReadResp,
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  DeleteReq,
  DeleteResp,
  TombstoneReq,
  TombstoneResp,
} = streamsPb;
export const { UUID, Empty, StreamIdentifier, AllStreamPosition, WrongExpectedVersion, StreamDeleted } =
  sharedPb;
export const { ClusterInfo, MemberInfo, EndPoint } = gossipPb;
export const { SupportedMethods, SupportedMethod } = featuresPb;
export const { Status } = statusPb;
export const { Any } = anyPb;
export const GoogleEmpty = emptyPb.Empty;

export type ReadReqT = InstanceType<typeof ReadReq>;
export type ReadRespT = InstanceType<typeof ReadResp>;
export type AppendReqT = InstanceType<typeof AppendReq>;
export type AppendRespT = InstanceType<typeof AppendResp>;
export type BatchAppendReqT = InstanceType<typeof BatchAppendReq>;
export type BatchAppendRespT = InstanceType<typeof BatchAppendResp>;
export type DeleteReqT = InstanceType<typeof DeleteReq>;
export type DeleteRespT = InstanceType<typeof DeleteResp>;
export type TombstoneReqT = InstanceType<typeof TombstoneReq>;
export type TombstoneRespT = InstanceType<typeof TombstoneResp>;
export type UUIDT = InstanceType<typeof UUID>;
