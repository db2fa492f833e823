import { AwsError, toXml, type AwsRequest, type AwsResponse } from './http.js';

/** The failures every AWS service reports, each protocol with its own code and status. */
export type FailureKind =
  | 'missing-auth'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired-token'
  | 'access-denied'
  | 'throttled'
  | 'server-error'
  | 'unavailable';

export interface Protocol {
  /** The AwsError a failure kind becomes in this protocol. */
  failure(kind: FailureKind, message: string): AwsError;
  render(error: AwsError, requestId: string, req: AwsRequest): AwsResponse;
}

type Table = Record<FailureKind, [number, string]>;

/** STS and IAM (awsQuery): XML error documents, `Sender`/`Receiver` types. */
export function queryProtocol(namespace: string, jsonWhenAsked: boolean): Protocol {
  const table: Table = {
    'missing-auth': [403, 'MissingAuthenticationToken'],
    'unknown-key': [403, 'InvalidClientTokenId'],
    'bad-signature': [403, 'SignatureDoesNotMatch'],
    'expired-token': [403, 'ExpiredToken'],
    'access-denied': [403, 'AccessDenied'],
    throttled: [400, 'Throttling'],
    'server-error': [500, 'InternalFailure'],
    unavailable: [503, 'ServiceUnavailable'],
  };
  return {
    failure: (kind, message) => new AwsError(table[kind][0], table[kind][1], message),
    render(error, requestId, req) {
      const type = error.status >= 500 ? 'Receiver' : 'Sender';
      if (jsonWhenAsked && wantsJson(req)) {
        return {
          status: error.status,
          contentType: 'application/json',
          body: JSON.stringify({
            Error: { Code: error.code, Message: error.message, Type: type },
            RequestId: requestId,
          }),
        };
      }
      const body = `<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${toXml(error.code)}</Code>\n    <Message>${toXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
      return { status: error.status, contentType: 'text/xml', body };
    },
  };
}

/** EKS (restJson1): status code, `x-amzn-ErrorType` header and a JSON body with `message`. */
export function restJsonProtocol(): Protocol {
  const table: Table = {
    'missing-auth': [403, 'MissingAuthenticationTokenException'],
    'unknown-key': [403, 'UnrecognizedClientException'],
    'bad-signature': [403, 'InvalidSignatureException'],
    'expired-token': [403, 'ExpiredTokenException'],
    'access-denied': [403, 'AccessDeniedException'],
    throttled: [429, 'ThrottlingException'],
    'server-error': [500, 'ServerException'],
    unavailable: [503, 'ServiceUnavailableException'],
  };
  return {
    failure: (kind, message) => new AwsError(table[kind][0], table[kind][1], message),
    render: (error) => ({
      status: error.status,
      contentType: 'application/json',
      headers: { 'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/com.amazonaws.eks/` },
      body: JSON.stringify({ ...error.fields, message: error.message }),
    }),
  };
}

/** CloudTrail (awsJson1_1): HTTP 400 for client errors, `__type` in the body. */
export function json11Protocol(): Protocol {
  const table: Table = {
    'missing-auth': [400, 'MissingAuthenticationTokenException'],
    'unknown-key': [400, 'UnrecognizedClientException'],
    'bad-signature': [400, 'InvalidSignatureException'],
    'expired-token': [400, 'ExpiredTokenException'],
    'access-denied': [400, 'AccessDeniedException'],
    throttled: [400, 'ThrottlingException'],
    'server-error': [500, 'InternalFailure'],
    unavailable: [503, 'ServiceUnavailable'],
  };
  return {
    failure: (kind, message) => new AwsError(table[kind][0], table[kind][1], message),
    render: (error) => ({
      status: error.status,
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({ __type: error.code, Message: error.message }),
    }),
  };
}

/** The authenticator asks STS for JSON (`Accept: application/json`); every SDK wants XML. */
export const wantsJson = (req: AwsRequest): boolean =>
  (req.headers.accept ?? '').toLowerCase().includes('application/json');
