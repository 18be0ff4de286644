// What a client request is, after classification of method + path + query.

export const endpointKinds = [
  'IngestDoc',
  'GetById',
  'DeleteById',
  'UpdateById',
  'IngestBulk',
  'MultiGet',
  'MultiSearch',
  'Search',
  'Count',
  'DeleteByQuery',
  'Cursor',
  'Admin',
  'Passthrough',
  'Unknown',
] as const;

export type EndpointKind = (typeof endpointKinds)[number];
